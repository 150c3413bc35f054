import { describe, expect, it } from 'vitest';
import { matchesFilter, prettyPayload, previewOf, toneOf, typeCounts } from './event-filter';
import type { RawEvent } from './types';

const event = (type: string, payload: string, detail?: string): RawEvent => ({
	seq: 0,
	at: 0,
	type,
	detail,
	raw: `data: ${payload}`,
	payload,
	data: JSON.parse(payload) as unknown
});

const events = [
	event('text-delta', '{"delta":"Hello"}'),
	event('text-delta', '{"delta":"Paris"}'),
	event('openai_event', '{"type":"response.created"}', 'response.created'),
	event('finish', '{"finishReason":"stop"}')
];

describe('matchesFilter', () => {
	it('matches text in the type, detail and raw text, ignoring case', () => {
		expect(events.filter((item) => matchesFilter(item, { text: 'paris', types: [] }))).toEqual([events[1]]);
		expect(events.filter((item) => matchesFilter(item, { text: 'RESPONSE.CREATED', types: [] }))).toEqual([events[2]]);
		expect(events.filter((item) => matchesFilter(item, { text: '  ', types: [] }))).toEqual(events);
	});

	it('keeps the chosen types only, combined with the text', () => {
		expect(events.filter((item) => matchesFilter(item, { text: '', types: ['finish', 'openai_event'] }))).toEqual([events[2], events[3]]);
		expect(events.filter((item) => matchesFilter(item, { text: 'hello', types: ['finish'] }))).toEqual([]);
	});
});

describe('typeCounts', () => {
	it('counts events by type in order of first appearance', () => {
		expect(typeCounts(events)).toEqual([
			{ type: 'text-delta', count: 2 },
			{ type: 'openai_event', count: 1 },
			{ type: 'finish', count: 1 }
		]);
	});
});

describe('toneOf', () => {
	it('groups types of every protocol', () => {
		expect(['text-delta', '0', 'text_delta', 'chat.completion.chunk'].map(toneOf)).toEqual(['text', 'text', 'text', 'text']);
		expect(['tool-input-available', 'tool_call', 'b', 'result'].map(toneOf)).toEqual(['tool', 'tool', 'tool', 'tool']);
		expect(['error', '3', 'tool-output-error'].map(toneOf)).toEqual(['error', 'error', 'error']);
		expect(['done', '[DONE]', 'finish', 'd'].map(toneOf)).toEqual(['end', 'end', 'end', 'end']);
		expect(['aui-state', 'update-state', 'start-step', 'comment'].map(toneOf)).toEqual(['state', 'state', 'meta', 'meta']);
	});
});

describe('prettyPayload and previewOf', () => {
	it('indents JSON and shortens long previews', () => {
		expect(prettyPayload(events[0])).toBe('{\n  "delta": "Hello"\n}');
		expect(prettyPayload({ ...events[0], data: undefined, payload: '[DONE]' })).toBe('[DONE]');
		expect(previewOf({ ...events[0], payload: 'a\n  b' })).toBe('a b');
		expect(previewOf({ ...events[0], payload: 'x'.repeat(10) }, 5)).toBe('xxxx…');
	});
});
