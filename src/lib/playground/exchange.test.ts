import { describe, expect, it } from 'vitest';
import { accepted, ENDED_EARLY, errorMessageOf, finishExchange, newExchange, withEvents, withHead } from './exchange';
import { jsonRequest } from './request';
import { uiStreamProtocol } from './ui-stream';

const head = { status: 200, statusText: 'OK', headers: {} };
const start = () => withHead(newExchange(1, 'ui-stream', { kind: 'message', text: 'hi' }, jsonRequest('/api/chat', {})), head);
const parse = (body: string) => uiStreamProtocol.createParser().parseChunk(body, 5);

describe('exchanges', () => {
	it('collects events and renders the answer through them', () => {
		const exchange = withEvents(
			start(),
			uiStreamProtocol,
			parse('data: {"type":"text-start","id":"t"}\n\ndata: {"type":"text-delta","id":"t","delta":"Hi"}\n\n')
		);
		expect(exchange.phase).toBe('streaming');
		expect(exchange.events.map((event) => event.type)).toEqual(['text-start', 'text-delta']);
		expect(exchange.answer.parts).toEqual([{ type: 'text', text: 'Hi' }]);
		expect(accepted(exchange)).toBe(true);
	});

	it('keeps a finished answer as it is, and marks one cut short', () => {
		const finished = withEvents(start(), uiStreamProtocol, parse('data: {"type":"finish","finishReason":"stop"}\n\n'));
		expect(finishExchange(finished, { kind: 'streamed', head }, 120)).toMatchObject({
			phase: 'done',
			durationMs: 120,
			answer: { status: 'completed' }
		});
		expect(finishExchange(start(), { kind: 'streamed', head }, 9).answer).toMatchObject({ status: 'interrupted', notice: ENDED_EARLY });
		expect(finishExchange(start(), { kind: 'aborted', head }, 9)).toMatchObject({ stopped: true, answer: { status: 'interrupted' } });
	});

	it('records HTTP errors with their body, and network failures', () => {
		const body = { error: { code: 'invalid_input', message: 'message: must not be empty', field: 'message' } };
		const failed = finishExchange(start(), { kind: 'http-error', head: { status: 400, statusText: 'Bad Request', headers: {} }, body }, 3);
		expect(failed.failure).toEqual({ kind: 'http-error', status: 400, statusText: 'Bad Request', body });
		expect(accepted(failed)).toBe(false);
		expect(errorMessageOf(body)).toBe('message: must not be empty');
		expect(errorMessageOf('Bad gateway')).toBe('Bad gateway');
		expect(errorMessageOf({ detail: 1 })).toBe('{"detail":1}');
		expect(finishExchange(start(), { kind: 'failed', message: 'Failed to fetch' }, 3)).toMatchObject({
			failure: { kind: 'failed', message: 'Failed to fetch' },
			answer: { status: 'error' }
		});
	});
});
