import { describe, expect, it } from 'vitest';
import { lineEventParser, sseEventParser, stringField } from './event-parsers';

describe('sseEventParser', () => {
	const parser = () => sseEventParser((message, data) => ({ type: message.event ?? stringField(data, 'type') ?? 'message', data }));

	it('numbers events across chunks and stamps them with the chunk time', () => {
		const events = parser();
		expect(events.parseChunk('data: {"type":"start"}\n\ndata: {"ty', 5)).toEqual([
			{ seq: 0, at: 5, raw: 'data: {"type":"start"}', payload: '{"type":"start"}', type: 'start', data: { type: 'start' } }
		]);
		expect(events.parseChunk('pe":"finish"}\n\n: keep-alive\n\ndata: [DONE]\n\n', 12)).toEqual([
			{ seq: 1, at: 12, raw: 'data: {"type":"finish"}', payload: '{"type":"finish"}', type: 'finish', data: { type: 'finish' } },
			{ seq: 2, at: 12, raw: ': keep-alive', payload: 'keep-alive', type: 'comment' },
			{ seq: 3, at: 12, raw: 'data: [DONE]', payload: '[DONE]', type: '[DONE]' }
		]);
	});

	it('labels named events and keeps payloads that are not JSON', () => {
		const events = parser();
		expect(events.parseChunk('event: note\ndata: plain words\n\n', 1)).toEqual([
			{ seq: 0, at: 1, raw: 'event: note\ndata: plain words', payload: 'plain words', type: 'note', data: undefined }
		]);
		expect(events.flush(2)).toEqual([]);
	});
});

describe('lineEventParser', () => {
	it('makes one event per non-empty line, keeping a cut line for the next chunk', () => {
		const events = lineEventParser((line) => ({ type: line.slice(0, line.indexOf(':')), payload: line.slice(line.indexOf(':') + 1) }));
		expect(events.parseChunk('0:"Hel', 3)).toEqual([]);
		expect(events.parseChunk('lo"\r\n\nd:{}\n9:', 4)).toEqual([
			{ seq: 0, at: 4, raw: '0:"Hello"', type: '0', payload: '"Hello"' },
			{ seq: 1, at: 4, raw: 'd:{}', type: 'd', payload: '{}' }
		]);
		expect(events.flush(6)).toEqual([{ seq: 2, at: 6, raw: '9:', type: '9', payload: '' }]);
		expect(events.flush(7)).toEqual([]);
	});
});

describe('stringField', () => {
	it('reads string fields of objects only', () => {
		expect(stringField({ a: 'x', b: 1 }, 'a')).toBe('x');
		expect(stringField({ a: 'x', b: 1 }, 'b')).toBeUndefined();
		expect(stringField('a', 'length')).toBeUndefined();
		expect(stringField(null, 'a')).toBeUndefined();
	});
});
