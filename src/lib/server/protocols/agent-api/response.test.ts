import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import {
	AGENT_API_STREAM_HEADERS,
	agentApiChatResponse,
	agentApiChunkStream,
	agentApiDoneResponse,
	agentApiStreamResponse
} from './response';
import type { AgentApiChunk } from './to-agent-api-chunk';
import { readAll, streamOf } from '../../../../../tests/support/streams';

const usage = { inputTokens: 1, outputTokens: 2 };

/** A response's body, which these responses always have. */
function bodyOf(response: Response): ReadableStream<Uint8Array> {
	if (!response.body) throw new Error('The response has no body');
	return response.body;
}

/** A run that never ends by itself, and a promise settled when its reader cancels it. */
function endlessRun(): { events: ReadableStream<RunEvent>; cancelled: Promise<string> } {
	let settle: (value: string) => void = () => {};
	const cancelled = new Promise<string>((resolve) => (settle = resolve));
	const events = new ReadableStream<RunEvent>({
		start(controller) {
			controller.enqueue(runStart);
			controller.enqueue({ type: 'step-start' });
		},
		cancel() {
			settle('cancelled');
		}
	});
	return { events, cancelled };
}

const runStart: RunEvent = { type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' };

const textRun: RunEvent[] = [
	runStart,
	{ type: 'step-start' },
	{ type: 'text-start', id: 't' },
	{ type: 'text-delta', id: 't', delta: 'Hi' },
	{ type: 'text-end', id: 't' },
	{ type: 'step-end', usage },
	{ type: 'run-end', reason: 'completed', usage }
];

const pausedRun: RunEvent[] = [
	runStart,
	{ type: 'step-start' },
	{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: true },
	{ type: 'step-end', usage },
	{ type: 'input-required', toolCalls: [{ toolCallId: 'c1', toolName: 'calculator', input: { expression: '6*7' } }] },
	{ type: 'run-end', reason: 'awaiting-input', usage }
];

const calculatorCall = { call_id: 'c1', name: 'calculator', arguments: '{"expression":"6*7"}', requires_approval: false };

/** The event names and, for the agent API's own events, their data. */
function outline(chunks: AgentApiChunk[]): unknown[] {
	return chunks.map((chunk) => (chunk.event === 'openai_event' ? chunk.data.type : { [chunk.event]: chunk.data }));
}

describe('agentApiChunkStream', () => {
	it('sends each run event’s openai_event first, its own events next, and done last', async () => {
		const chunks = await readAll(streamOf(textRun).pipeThrough(agentApiChunkStream()));
		expect(outline(chunks)).toStrictEqual([
			'response.created',
			'response.in_progress',
			'response.output_item.added',
			'response.content_part.added',
			'response.output_text.delta',
			{ text_delta: { delta: 'Hi' } },
			'response.output_text.done',
			'response.content_part.done',
			'response.output_item.done',
			'response.completed',
			{ done: { session_id: 'task-1', message_id: 'msg-1', status: 'completed', pending_tool_calls: [] } }
		]);
	});

	it('ends a run that waits for the caller with tool_call events and done requires_action', async () => {
		const chunks = await readAll(streamOf(pausedRun).pipeThrough(agentApiChunkStream()));
		expect(outline(chunks).filter((item) => typeof item !== 'string')).toStrictEqual([
			{ tool_call: calculatorCall },
			{ done: { session_id: 'task-1', message_id: 'msg-1', status: 'requires_action', pending_tool_calls: [calculatorCall] } }
		]);
	});

	it('reports a failed run with error, then done error', async () => {
		const chunks = await readAll(
			streamOf<RunEvent>([runStart, { type: 'step-start' }, { type: 'run-error', message: 'The model failed.' }]).pipeThrough(
				agentApiChunkStream()
			)
		);
		expect(outline(chunks)).toStrictEqual([
			'response.created',
			'response.in_progress',
			'response.failed',
			{ error: { code: 'upstream', message: 'The model failed.' } },
			{ done: { session_id: 'task-1', message_id: 'msg-1', status: 'error', pending_tool_calls: [] } }
		]);
	});

	it('calls a run that ends without saying why interrupted, with the ids it was given', async () => {
		const chunks = await readAll(streamOf<RunEvent>([]).pipeThrough(agentApiChunkStream({ sessionId: 's', messageId: 'm' })));
		expect(outline(chunks)).toStrictEqual([{ done: { session_id: 's', message_id: 'm', status: 'interrupted', pending_tool_calls: [] } }]);
	});
});

describe('agentApiStreamResponse', () => {
	it('writes named SSE events with the stream headers', async () => {
		const response = agentApiStreamResponse(streamOf(textRun), { 'x-anonymous-id': 'anon_12345678' });
		for (const [name, value] of Object.entries(AGENT_API_STREAM_HEADERS)) expect(response.headers.get(name)).toBe(value);
		expect(response.headers.get('x-anonymous-id')).toBe('anon_12345678');
		const text = await response.text();
		expect(text).toContain('event: text_delta\ndata: {"delta":"Hi"}\n\n');
		expect(text).toMatch(/^event: openai_event\ndata: \{"type":"response.created",/);
		expect(
			text.endsWith('event: done\ndata: {"session_id":"task-1","message_id":"msg-1","status":"completed","pending_tool_calls":[]}\n\n')
		).toBe(true);
	});

	it('cancels the run’s events when the caller goes away', async () => {
		const { events, cancelled } = endlessRun();
		const reader = bodyOf(agentApiStreamResponse(events)).getReader();
		await reader.read();
		await reader.cancel();
		// The cancel reaches the source through the pipe a few microtasks later.
		await expect(cancelled).resolves.toBe('cancelled');
	});
});

describe('agentApiDoneResponse', () => {
	it('holds only done', async () => {
		const response = agentApiDoneResponse({
			session_id: 's',
			message_id: 'm',
			status: 'requires_action',
			pending_tool_calls: [calculatorCall]
		});
		expect(await response.text()).toBe(
			`event: done\ndata: {"session_id":"s","message_id":"m","status":"requires_action","pending_tool_calls":[${JSON.stringify(calculatorCall)}]}\n\n`
		);
	});
});

describe('agentApiChatResponse', () => {
	it('answers a completed run as one JSON object', async () => {
		const response = agentApiChatResponse(streamOf(textRun));
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(await response.json()).toStrictEqual({
			session_id: 'task-1',
			message_id: 'msg-1',
			text: 'Hi',
			tool_calls: [],
			status: 'completed'
		});
	});

	it('lists the calls to answer when the run needs action', async () => {
		expect(await agentApiChatResponse(streamOf(pausedRun)).json()).toStrictEqual({
			session_id: 'task-1',
			message_id: 'msg-1',
			text: '',
			tool_calls: [calculatorCall],
			status: 'requires_action'
		});
	});

	it('says why a run failed', async () => {
		const failed: RunEvent[] = [runStart, { type: 'run-error', message: 'The model failed.' }];
		expect(await agentApiChatResponse(streamOf(failed)).json()).toMatchObject({
			status: 'error',
			error: { code: 'upstream', message: 'The model failed.' }
		});
	});

	it('cancels the run’s events when the caller goes away before the answer', async () => {
		const { events, cancelled } = endlessRun();
		await bodyOf(agentApiChatResponse(events)).cancel();
		await expect(cancelled).resolves.toBe('cancelled');
	});
});
