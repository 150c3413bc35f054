import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import type { RunEvent } from '../../runtime/events';
import { AnswerFrames, errorFrame, parseClientFrame, serverFrame } from './frames';

const usage = { inputTokens: 1, outputTokens: 2 };

/** Every frame a run's events give. */
function framesOf(events: RunEvent[], interruptedBy?: () => 'timeout' | 'cancelled') {
	const builder = new AnswerFrames({ task_id: 'task-1' });
	return [builder.loading(), ...events.flatMap((event) => builder.next(event, interruptedBy))];
}

describe('serverFrame', () => {
	it('has the documented keys, an ISO timestamp and empty metadata', () => {
		const now = new Date('2025-01-02T03:04:05.000Z');
		expect(serverFrame('chunk', 'Hi', { task_id: 't' }, now)).toEqual({
			type: 'chunk',
			role: 'assistant',
			message: 'Hi',
			timestamp: '2025-01-02T03:04:05.000Z',
			metadata: { context_used: false, confidence: null, error: null, tool_results: [], selected_product: null, task_id: 't' }
		});
	});
});

describe('errorFrame', () => {
	it('shows an AppError with its code and hides anything else', () => {
		expect(errorFrame(new AppError('not_found', 'No task "x" was found.'))).toMatchObject({
			type: 'error',
			message: 'No task "x" was found.',
			metadata: { error: 'system_error', code: 'not_found' }
		});
		const hidden = errorFrame(new Error('SQLITE_BUSY at /secret/path'));
		expect(hidden.message).not.toContain('SQLITE');
		expect(hidden.metadata).toMatchObject({ error: 'system_error', code: 'internal' });
	});
});

describe('parseClientFrame', () => {
	it('reads a message frame', () => {
		expect(parseClientFrame('{"type":"message","role":"user","message":"Hi","timestamp":"2025-01-01T00:00:00Z"}')).toEqual({
			type: 'message',
			role: 'user',
			message: 'Hi',
			timestamp: '2025-01-01T00:00:00Z'
		});
	});

	it('refuses text that is not JSON as unsupported', () => {
		expect(() => parseClientFrame('hello')).toThrow(expect.objectContaining({ code: 'unsupported_media_type' }));
	});

	it.each([
		['[1]', 'type'],
		['{"type":"ping"}', 'type'],
		['{"type":"message","role":"assistant","message":"x"}', 'role'],
		['{"type":"message","message":"  "}', 'message'],
		['{"type":"message","message":3}', 'message']
	])('refuses %s naming %s', (raw, field) => {
		expect(() => parseClientFrame(raw)).toThrow(expect.objectContaining({ code: 'invalid_input', field }));
	});
});

describe('AnswerFrames', () => {
	it('gives loading, a chunk per delta, and a message with the whole text', () => {
		const frames = framesOf([
			{ type: 'run-start', taskId: 'task-1', messageId: 'm', model: 'mock:offline' },
			{ type: 'reasoning-delta', id: 'r', delta: 'thinking' },
			{ type: 'text-delta', id: 't', delta: 'Hello ' },
			{ type: 'text-delta', id: 't', delta: '' },
			{ type: 'text-delta', id: 't', delta: 'world' },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		expect(frames.map((frame) => [frame.type, frame.message])).toEqual([
			['loading', ''],
			['chunk', 'Hello '],
			['chunk', 'world'],
			['message', 'Hello world']
		]);
		expect(frames.every((frame) => frame.metadata.task_id === 'task-1')).toBe(true);
	});

	it('gathers tool outputs; a product search sets context_used and selected_product', () => {
		const product = { name: 'Lantern', price: 20 };
		const frames = framesOf([
			{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'calculator', input: { expression: '2+3' }, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'c1', output: { result: 5 } },
			{ type: 'tool-call-ready', toolCallId: 'c2', toolName: 'search_products', input: { query: 'lantern' }, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'c2', output: { data: [product, { name: 'Tent' }], metadata: {} } },
			{ type: 'text-delta', id: 't', delta: 'Found it' },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		const final = frames.at(-1)!;
		expect(final.metadata).toMatchObject({
			context_used: true,
			selected_product: product,
			tool_results: [
				{ tool: 'calculator', result: { result: 5 } },
				{ tool: 'search_products', result: { data: [product, { name: 'Tent' }], metadata: {} } }
			]
		});
		expect(frames[0].metadata).toMatchObject({ context_used: false, tool_results: [], selected_product: null });
	});

	it('leaves context_used false for a search that found nothing', () => {
		const frames = framesOf([
			{ type: 'tool-call-ready', toolCallId: 'c', toolName: 'search_knowledge', input: {}, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'c', output: { data: [] } },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		expect(frames.at(-1)!.metadata).toMatchObject({ context_used: false, selected_product: null });
	});

	it('ends an interrupted answer with an error frame: cancelled, or timeout for the time limit', () => {
		const events: RunEvent[] = [
			{ type: 'text-delta', id: 't', delta: 'Part' },
			{ type: 'run-end', reason: 'interrupted', usage }
		];
		expect(framesOf(events).at(-1)).toMatchObject({
			type: 'error',
			metadata: { error: 'cancelled', partial_message: 'Part' }
		});
		expect(framesOf(events, () => 'timeout').at(-1)).toMatchObject({ type: 'error', metadata: { error: 'timeout' } });
	});

	it('ends a failed answer with a system_error frame carrying the safe message', () => {
		const frames = framesOf([{ type: 'run-error', message: 'The model is unavailable.' }]);
		expect(frames.at(-1)).toMatchObject({
			type: 'error',
			message: 'The model is unavailable.',
			metadata: { error: 'system_error' }
		});
	});
});
