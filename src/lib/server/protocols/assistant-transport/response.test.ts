import {
	AssistantMessageAccumulator,
	AssistantTransportDecoder,
	DataStreamDecoder,
	unstable_createInitialMessage,
	type AssistantMessage
} from 'assistant-stream';
import type { UIMessage } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import {
	ASSISTANT_TRANSPORT_HEADERS,
	assistantTransportResponse,
	DATA_STREAM_HEADERS,
	dataStreamResponse,
	type ThreadAnswer
} from './response';
import type { StateMessage } from './state-message';
import { StateOperations } from './state-operations';
import { streamOf } from '../../../../../tests/support/streams';

const usage = { inputTokens: 5, outputTokens: 8 };

const question: StateMessage = { id: 'q1', role: 'user', content: [{ type: 'text', text: 'calculator expression="6*7"' }] };

/** An answer on task `task-1` after `question`, streaming the given events. */
function answerOf(events: RunEvent[], parts: UIMessage['parts'] = []): ThreadAnswer {
	return { events: streamOf(events), state: stateFor(parts) };
}

/** The state of an answer `msg-1` after `question`, with the parts it already has. */
function stateFor(parts: UIMessage['parts'] = []) {
	return new StateOperations({ taskId: 'task-1', history: [question], answer: { id: 'msg-1', parts } });
}

/** A two-step server tool run as the runtime emits it, ids reused in step two. */
const toolRun: RunEvent[] = [
	{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
	{ type: 'step-start' },
	{ type: 'reasoning-start', id: 'reasoning-0' },
	{ type: 'reasoning-delta', id: 'reasoning-0', delta: 'I will call the calculator.' },
	{ type: 'reasoning-end', id: 'reasoning-0' },
	{ type: 'text-start', id: 'text-0' },
	{ type: 'text-delta', id: 'text-0', delta: 'Let me ' },
	{ type: 'text-delta', id: 'text-0', delta: 'check.' },
	{ type: 'text-end', id: 'text-0' },
	{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '"6*7"}' },
	{ type: 'tool-call-ready', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: false },
	{ type: 'tool-output', toolCallId: 'call_1', output: { expression: '6*7', result: 42 } },
	{ type: 'step-end', usage },
	{ type: 'step-start' },
	{ type: 'text-start', id: 'text-0' },
	{ type: 'text-delta', id: 'text-0', delta: 'The answer is 42.' },
	{ type: 'text-end', id: 'text-0' },
	{ type: 'step-end', usage },
	{ type: 'run-end', reason: 'completed', usage: { inputTokens: 10, outputTokens: 16 } }
];

/** The client's state before the request: an app key, and stale messages the server replaces. */
const clientState = { theme: 'dark', messages: [{ id: 'stale', role: 'user', content: [] }] };

/** The thread as `state.messages` holds it after `toolRun`. */
const threadAfterToolRun = [
	question,
	{
		id: 'msg-1',
		role: 'assistant',
		content: [
			{ type: 'reasoning', text: 'I will call the calculator.' },
			{ type: 'text', text: 'Let me check.' },
			{
				type: 'tool-call',
				toolCallId: 'call_1',
				toolName: 'calculator',
				args: { expression: '6*7' },
				argsText: '{"expression":"6*7"}',
				result: { expression: '6*7', result: 42 }
			},
			{ type: 'text', text: 'The answer is 42.' }
		],
		status: { type: 'complete', reason: 'stop' }
	}
];

/** Reads a response as useAssistantTransportRuntime does: decoder, then the message accumulator from the client's state. */
async function readAsClient(response: Response, decoder: TransformStream<Uint8Array, unknown>, state: unknown = clientState) {
	if (!response.body) throw new Error('The response has no body');
	const messages: AssistantMessage[] = [];
	const stream = response.body
		.pipeThrough(decoder as unknown as DataStreamDecoder)
		.pipeThrough(new AssistantMessageAccumulator({ initialMessage: unstable_createInitialMessage({ unstable_state: state as null }) }));
	for await (const message of stream) messages.push(message);
	const last = messages.at(-1);
	if (!last) throw new Error('Nothing was streamed');
	return { last, states: messages.map((message) => message.metadata.unstable_state) };
}

describe('dataStreamResponse', () => {
	it('sends the data stream headers, over any others', () => {
		const response = dataStreamResponse(answerOf([]), { 'x-parley-task-id': 'task-1', 'content-type': 'application/json' });
		expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(response.headers.get('x-vercel-ai-data-stream')).toBe('v1');
		expect(response.headers.get('x-parley-task-id')).toBe('task-1');
		expect(DATA_STREAM_HEADERS['cache-control']).toBe('no-cache, no-transform');
	});

	it('writes the exact lines of a short answer: state first, then text and finish', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Hi\nthere' },
			{ type: 'text-end', id: 't' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'completed', usage }
		];
		const body = await dataStreamResponse(answerOf(events)).text();
		const start = JSON.stringify([
			{ type: 'set', path: ['taskId'], value: 'task-1' },
			{ type: 'set', path: ['messages'], value: [question, { id: 'msg-1', role: 'assistant', content: [], status: { type: 'running' } }] }
		]);
		expect(body).toBe(
			[
				`aui-state:${start}`,
				'f:{"messageId":"msg-1"}',
				'aui-state:[{"type":"set","path":["messages","1","content","0"],"value":{"type":"text","text":""}}]',
				'aui-state:[{"type":"append-text","path":["messages","1","content","0","text"],"value":"Hi\\nthere"}]',
				'0:"Hi\\nthere"',
				'e:{"finishReason":"stop","usage":{"inputTokens":5,"outputTokens":8},"isContinued":false}',
				'aui-state:[{"type":"set","path":["messages","1","status"],"value":{"type":"complete","reason":"stop"}}]',
				'd:{"finishReason":"stop","usage":{"inputTokens":5,"outputTokens":8}}',
				''
			].join('\n')
		);
	});

	it('is read by the strict DataStreamDecoder into the thread state and the answer', async () => {
		const { last, states } = await readAsClient(dataStreamResponse(answerOf(toolRun)), new DataStreamDecoder());
		expect(last.metadata.unstable_state).toStrictEqual({ theme: 'dark', taskId: 'task-1', messages: threadAfterToolRun });
		// The first state change already replaces the stale messages.
		expect(states[0]).toMatchObject({ taskId: 'task-1', messages: [question, { id: 'msg-1', status: { type: 'running' } }] });
		expect(last.status).toMatchObject({ type: 'complete', reason: 'stop' });
		expect(last.parts.map((part) => part.type)).toStrictEqual(['reasoning', 'text', 'tool-call', 'text']);
		expect(last.parts[2]).toMatchObject({ toolCallId: 'call_1', args: { expression: '6*7' }, result: { expression: '6*7', result: 42 } });
		expect(last.metadata.steps).toHaveLength(2);
	});

	it('a client tool left waiting ends as requires-action, in the state and the message', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'tool-call-ready', toolCallId: 'c9', toolName: 'lookup_weather', input: { city: 'Paris' }, clientExecuted: true },
			{ type: 'step-end', usage },
			{ type: 'input-required', toolCalls: [{ toolCallId: 'c9', toolName: 'lookup_weather', input: { city: 'Paris' } }] },
			{ type: 'run-end', reason: 'awaiting-input', usage }
		];
		const { last } = await readAsClient(dataStreamResponse(answerOf(events)), new DataStreamDecoder());
		expect(last.status).toMatchObject({ type: 'requires-action', reason: 'tool-calls' });
		expect(last.parts[0]).toMatchObject({ type: 'tool-call', toolCallId: 'c9', args: { city: 'Paris' } });
		expect(last.metadata.unstable_state).toMatchObject({
			messages: [question, { status: { type: 'requires-action' }, content: [{ toolCallId: 'c9', args: { city: 'Paris' } }] }]
		});
	});

	it('a continuation reports results of earlier calls through the state only, which the decoder accepts', async () => {
		const earlier = [
			{ type: 'step-start' as const },
			{
				type: 'tool-current_time' as const,
				toolCallId: 'c1',
				state: 'approval-responded' as const,
				input: {},
				approval: { id: 'ap', approved: true }
			}
		];
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'tool-output', toolCallId: 'c1', output: { time: 'noon' } },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'It is noon.' },
			{ type: 'text-end', id: 't' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'completed', usage }
		];
		const body = await dataStreamResponse(answerOf(events, earlier)).text();
		expect(body).not.toContain('\na:');
		const { last } = await readAsClient(dataStreamResponse(answerOf(events, earlier)), new DataStreamDecoder());
		expect(last.metadata.unstable_state).toMatchObject({
			messages: [
				question,
				{
					content: [
						{ type: 'tool-call', toolCallId: 'c1', result: { time: 'noon' }, approval: { id: 'ap', approved: true } },
						{ type: 'text', text: 'It is noon.' }
					],
					status: { type: 'complete' }
				}
			]
		});
	});

	it('a failure is an error line: the message ends incomplete with the safe message', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'run-error', message: 'The model failed while answering. Try again.' }
		];
		const onError = vi.fn();
		const response = dataStreamResponse(answerOf(events));
		if (!response.body) throw new Error('no body');
		let last: AssistantMessage | undefined;
		for await (const message of response.body
			.pipeThrough(new DataStreamDecoder())
			.pipeThrough(new AssistantMessageAccumulator({ onError }))) {
			last = message;
		}
		expect(onError).toHaveBeenCalledWith('The model failed while answering. Try again.');
		expect(last?.status).toMatchObject({ type: 'incomplete', reason: 'error' });
		expect(last?.metadata.unstable_state).toMatchObject({
			messages: [question, { status: { type: 'incomplete', reason: 'error', error: 'The model failed while answering. Try again.' } }]
		});
	});

	it('cancels the run’s events when the reader goes away', async () => {
		let cancelled!: () => void;
		const cancel = new Promise<void>((resolve) => (cancelled = resolve));
		const events = new ReadableStream<RunEvent>({
			start(controller) {
				controller.enqueue({ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' });
			},
			cancel: () => cancelled()
		});
		const response = dataStreamResponse({ events, state: stateFor() });
		const reader = response.body?.getReader();
		await reader?.read();
		await reader?.cancel();
		// Cancelling travels up the pipe chain to the run's events (which stop the run).
		await expect(cancel).resolves.toBeUndefined();
	});
});

describe('assistantTransportResponse', () => {
	it('sends SSE headers and one data event per chunk, [DONE] last, no event names', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Hi' },
			{ type: 'text-end', id: 't' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'completed', usage }
		];
		const response = assistantTransportResponse(answerOf(events));
		expect(response.headers.get('content-type')).toBe(ASSISTANT_TRANSPORT_HEADERS['content-type']);
		const body = await response.text();
		const lines = body.split('\n\n').filter(Boolean);
		expect(lines.every((line) => line.startsWith('data: '))).toBe(true);
		expect(lines.slice(1)).toStrictEqual([
			'data: {"type":"step-start","path":[],"messageId":"msg-1"}',
			'data: {"type":"update-state","path":[],"operations":[{"type":"set","path":["messages","1","content","0"],"value":{"type":"text","text":""}}]}',
			'data: {"type":"part-start","path":[],"part":{"type":"text"}}',
			'data: {"type":"update-state","path":[],"operations":[{"type":"append-text","path":["messages","1","content","0","text"],"value":"Hi"}]}',
			'data: {"type":"text-delta","path":[0],"textDelta":"Hi"}',
			'data: {"type":"part-finish","path":[0]}',
			'data: {"type":"step-finish","path":[],"finishReason":"stop","usage":{"inputTokens":5,"outputTokens":8},"isContinued":false}',
			'data: {"type":"update-state","path":[],"operations":[{"type":"set","path":["messages","1","status"],"value":{"type":"complete","reason":"stop"}}]}',
			'data: {"type":"message-finish","path":[],"finishReason":"stop","usage":{"inputTokens":5,"outputTokens":8}}',
			'data: [DONE]'
		]);
		expect(lines[0].startsWith('data: {"type":"update-state","path":[],"operations":[{"type":"set","path":["taskId"]')).toBe(true);
	});

	it('is read by the strict AssistantTransportDecoder into the same thread state', async () => {
		const { last } = await readAsClient(assistantTransportResponse(answerOf(toolRun)), new AssistantTransportDecoder());
		expect(last.metadata.unstable_state).toStrictEqual({ theme: 'dark', taskId: 'task-1', messages: threadAfterToolRun });
		expect(last.parts.map((part) => part.type)).toStrictEqual(['reasoning', 'text', 'tool-call', 'text']);
		expect(last.parts[2]).toMatchObject({ state: 'result', result: { expression: '6*7', result: 42 } });
		expect(last.status).toMatchObject({ type: 'complete', reason: 'stop' });
	});

	it('starts the state from null (a client without initial state)', async () => {
		const { last } = await readAsClient(assistantTransportResponse(answerOf(toolRun)), new AssistantTransportDecoder(), null);
		expect(last.metadata.unstable_state).toStrictEqual({ taskId: 'task-1', messages: threadAfterToolRun });
	});
});
