import { ResponseStream } from 'openai/lib/responses/ResponseStream';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../runtime/events';
import {
	usageOf,
	ResponsesEventBuilder,
	type ResponsesOutputItem,
	type ResponsesRequestEcho,
	type ResponsesResponse,
	type ResponsesStreamEvent
} from './responses-event-builder';

const NOW = 1_700_000_000_123;

/** A builder with predictable ids (`resp_1`, `msg_2`…) and a fixed clock. */
function builder(): ResponsesEventBuilder {
	let next = 0;
	return new ResponsesEventBuilder({ makeId: (prefix) => `${prefix}_${++next}`, now: () => NOW });
}

/** All Responses events of a run. */
function eventsOf(run: RunEvent[]): ResponsesStreamEvent[] {
	const responses = builder();
	return run.flatMap((event) => responses.push(event));
}

/** A response as created, before any output. */
function response(id: string, changes: Partial<ResponsesResponse> = {}): ResponsesResponse {
	return {
		id,
		object: 'response',
		created_at: Math.floor(NOW / 1000),
		status: 'in_progress',
		model: 'mock:offline',
		output: [],
		error: null,
		incomplete_details: null,
		instructions: null,
		metadata: { session_id: 'task-1', message_id: 'msg-1' },
		parallel_tool_calls: true,
		temperature: null,
		tool_choice: 'auto',
		tools: [],
		top_p: null,
		usage: null,
		...changes
	};
}

const runStart: RunEvent = { type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' };
const usage = { inputTokens: 10, outputTokens: 4 };
const responsesUsage = {
	input_tokens: 10,
	input_tokens_details: { cached_tokens: 0 },
	output_tokens: 4,
	output_tokens_details: { reasoning_tokens: 0 },
	total_tokens: 14
};

/** One step: reasoning, then text. */
const textStep: RunEvent[] = [
	{ type: 'step-start' },
	{ type: 'reasoning-start', id: 'r' },
	{ type: 'reasoning-delta', id: 'r', delta: 'Think.' },
	{ type: 'reasoning-end', id: 'r' },
	{ type: 'text-start', id: 't' },
	{ type: 'text-delta', id: 't', delta: 'Hello ' },
	{ type: 'text-delta', id: 't', delta: 'there' },
	{ type: 'text-end', id: 't' },
	{ type: 'step-end', usage }
];

/** One step that calls a tool the caller runs. */
const toolStep: RunEvent[] = [
	{ type: 'step-start' },
	{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '"6*7"}' },
	{ type: 'tool-call-ready', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: true },
	{ type: 'step-end', usage }
];

describe('ResponsesEventBuilder', () => {
	it('streams a step with reasoning and text as one response, event by event', () => {
		const reasoning = { id: 'rs_2', type: 'reasoning' as const };
		const message = { id: 'msg_3', type: 'message' as const, role: 'assistant' as const };
		const text = (value: string) => ({ type: 'output_text' as const, text: value, annotations: [] });
		const summary = (value: string) => ({ type: 'summary_text' as const, text: value });
		const done = [
			{ ...reasoning, summary: [summary('Think.')] },
			{ ...message, status: 'completed' as const, content: [text('Hello there')] }
		];
		expect(eventsOf([runStart, ...textStep, { type: 'run-end', reason: 'completed', usage }])).toStrictEqual([
			{ type: 'response.created', response: response('resp_1'), sequence_number: 0 },
			{ type: 'response.in_progress', response: response('resp_1'), sequence_number: 1 },
			{ type: 'response.output_item.added', output_index: 0, item: { ...reasoning, summary: [] }, sequence_number: 2 },
			{
				type: 'response.reasoning_summary_part.added',
				item_id: 'rs_2',
				output_index: 0,
				summary_index: 0,
				part: summary(''),
				sequence_number: 3
			},
			{
				type: 'response.reasoning_summary_text.delta',
				item_id: 'rs_2',
				output_index: 0,
				summary_index: 0,
				delta: 'Think.',
				sequence_number: 4
			},
			{
				type: 'response.reasoning_summary_text.done',
				item_id: 'rs_2',
				output_index: 0,
				summary_index: 0,
				text: 'Think.',
				sequence_number: 5
			},
			{
				type: 'response.reasoning_summary_part.done',
				item_id: 'rs_2',
				output_index: 0,
				summary_index: 0,
				part: summary('Think.'),
				sequence_number: 6
			},
			{ type: 'response.output_item.done', output_index: 0, item: done[0], sequence_number: 7 },
			{
				type: 'response.output_item.added',
				output_index: 1,
				item: { ...message, status: 'in_progress', content: [] },
				sequence_number: 8
			},
			{
				type: 'response.content_part.added',
				item_id: 'msg_3',
				output_index: 1,
				content_index: 0,
				part: text(''),
				sequence_number: 9
			},
			{
				type: 'response.output_text.delta',
				item_id: 'msg_3',
				output_index: 1,
				content_index: 0,
				delta: 'Hello ',
				logprobs: [],
				sequence_number: 10
			},
			{
				type: 'response.output_text.delta',
				item_id: 'msg_3',
				output_index: 1,
				content_index: 0,
				delta: 'there',
				logprobs: [],
				sequence_number: 11
			},
			{
				type: 'response.output_text.done',
				item_id: 'msg_3',
				output_index: 1,
				content_index: 0,
				text: 'Hello there',
				logprobs: [],
				sequence_number: 12
			},
			{
				type: 'response.content_part.done',
				item_id: 'msg_3',
				output_index: 1,
				content_index: 0,
				part: text('Hello there'),
				sequence_number: 13
			},
			{ type: 'response.output_item.done', output_index: 1, item: done[1], sequence_number: 14 },
			{
				type: 'response.completed',
				response: response('resp_1', { status: 'completed', output: done, usage: responsesUsage }),
				sequence_number: 15
			}
		]);
	});

	it('streams a function call with its argument deltas', () => {
		const call = { id: 'fc_2', type: 'function_call' as const, call_id: 'call_1', name: 'calculator' };
		const completed = { ...call, arguments: '{"expression":"6*7"}', status: 'completed' as const };
		expect(eventsOf([runStart, ...toolStep]).map(({ sequence_number, ...event }) => event)).toStrictEqual([
			{ type: 'response.created', response: response('resp_1') },
			{ type: 'response.in_progress', response: response('resp_1') },
			{ type: 'response.output_item.added', output_index: 0, item: { ...call, arguments: '', status: 'in_progress' } },
			{ type: 'response.function_call_arguments.delta', item_id: 'fc_2', output_index: 0, delta: '{"expression":' },
			{ type: 'response.function_call_arguments.delta', item_id: 'fc_2', output_index: 0, delta: '"6*7"}' },
			{
				type: 'response.function_call_arguments.done',
				item_id: 'fc_2',
				output_index: 0,
				name: 'calculator',
				arguments: '{"expression":"6*7"}'
			},
			{ type: 'response.output_item.done', output_index: 0, item: completed },
			{
				type: 'response.completed',
				response: response('resp_1', { status: 'completed', output: [completed], usage: responsesUsage })
			}
		]);
	});

	it('adds a call that arrives whole, without a start', () => {
		const events = eventsOf([
			runStart,
			{ type: 'step-start' },
			{ type: 'tool-call-ready', toolCallId: 'call_9', toolName: 'now', input: undefined, clientExecuted: false }
		]);
		expect(events.map((event) => event.type)).toStrictEqual([
			'response.created',
			'response.in_progress',
			'response.output_item.added',
			'response.function_call_arguments.done',
			'response.output_item.done'
		]);
		expect(events[3]).toMatchObject({ name: 'now', arguments: '{}' });
	});

	it('makes one response per step, numbering events across the run', () => {
		const events = eventsOf([
			runStart,
			...toolStep,
			{ type: 'tool-output', toolCallId: 'call_1', output: 42 },
			...textStep,
			{ type: 'run-end', reason: 'completed', usage }
		]);
		const lifecycle = events.filter((event) => event.type === 'response.created' || event.type === 'response.completed');
		expect(lifecycle.map((event) => [event.type, 'response' in event ? event.response.id : ''])).toStrictEqual([
			['response.created', 'resp_1'],
			['response.completed', 'resp_1'],
			['response.created', 'resp_3'],
			['response.completed', 'resp_3']
		]);
		expect(events.map((event) => event.sequence_number)).toStrictEqual(events.map((_event, index) => index));
	});

	it('ends a stopped step as incomplete, closing what was open', () => {
		const events = eventsOf([
			runStart,
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Partial' },
			{ type: 'run-end', reason: 'interrupted', usage }
		]);
		const partial: ResponsesOutputItem = {
			id: 'msg_2',
			type: 'message',
			role: 'assistant',
			status: 'incomplete',
			content: [{ type: 'output_text', text: 'Partial', annotations: [] }]
		};
		expect(events.slice(-2).map(({ sequence_number, ...event }) => event)).toStrictEqual([
			{ type: 'response.output_item.done', output_index: 0, item: partial },
			{
				type: 'response.incomplete',
				response: response('resp_1', { status: 'incomplete', output: [partial], incomplete_details: { reason: 'interrupted' } })
			}
		]);
	});

	it('fails the open step on a run error, or sends an error event between steps', () => {
		const failed = eventsOf([runStart, { type: 'step-start' }, { type: 'run-error', message: 'The model failed.' }]);
		expect(failed.at(-1)).toStrictEqual({
			type: 'response.failed',
			response: response('resp_1', { status: 'failed', error: { code: 'server_error', message: 'The model failed.' } }),
			sequence_number: 2
		});
		const between = eventsOf([runStart, { type: 'run-error', message: 'The model failed.' }]);
		expect(between).toStrictEqual([{ type: 'error', code: 'server_error', message: 'The model failed.', param: null, sequence_number: 0 }]);
	});

	it('emits copies: later events do not change earlier ones', () => {
		const events = eventsOf([runStart, ...textStep]);
		expect(events[0]).toMatchObject({ response: { output: [], status: 'in_progress' } });
		expect(events.find((event) => event.type === 'response.content_part.added')).toMatchObject({ part: { text: '' } });
	});

	it('makes steps the openai SDK’s Responses stream helper reads to the same final response', async () => {
		const events = eventsOf([runStart, ...toolStep, ...textStep, { type: 'run-end', reason: 'completed', usage }]);
		const steps: ResponsesStreamEvent[][] = [];
		for (const event of events) {
			if (event.type === 'response.created') steps.push([]);
			steps.at(-1)?.push(event);
		}
		const finals = [];
		for (const step of steps) {
			const ndjson = new TextEncoder().encode(step.map((event) => JSON.stringify(event)).join('\n') + '\n');
			const stream = ResponseStream.fromReadableStream(
				new ReadableStream({
					start(controller) {
						controller.enqueue(ndjson);
						controller.close();
					}
				})
			);
			const deltas: string[] = [];
			stream.on('response.output_text.delta', (event) => deltas.push(event.snapshot));
			finals.push({ response: await stream.finalResponse(), deltas });
		}
		expect(finals[0].response.output).toMatchObject([
			{ type: 'function_call', call_id: 'call_1', name: 'calculator', arguments: '{"expression":"6*7"}' }
		]);
		expect(finals[1].response.output_text).toBe('Hello there');
		expect(finals[1].deltas).toStrictEqual(['Hello ', 'Hello there']);
		expect(finals[1].response.usage).toStrictEqual(responsesUsage);
	});
});

describe('usageOf', () => {
	it('reports cached input and reasoning tokens in the Responses usage details', () => {
		expect(usageOf({ inputTokens: 1200, outputTokens: 350, cachedInputTokens: 800, reasoningTokens: 120 })).toStrictEqual({
			input_tokens: 1200,
			input_tokens_details: { cached_tokens: 800 },
			output_tokens: 350,
			output_tokens_details: { reasoning_tokens: 120 },
			total_tokens: 1550
		});
	});

	it('counts what the model did not report as 0, as the required details need a number', () => {
		expect(usageOf({ inputTokens: undefined, outputTokens: 5 })).toStrictEqual({
			input_tokens: 0,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: 5,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: 5
		});
	});

	it("puts a step's reasoning and cached counts on its response.completed", () => {
		const step: RunEvent[] = textStep.map((event) =>
			event.type === 'step-end' ? { type: 'step-end', usage: { ...usage, cachedInputTokens: 6, reasoningTokens: 3 } } : event
		);
		const completed = eventsOf([runStart, ...step, { type: 'run-end', reason: 'completed', usage }]).find(
			(event) => event.type === 'response.completed'
		);
		expect(completed && 'response' in completed ? completed.response.usage : undefined).toStrictEqual({
			...responsesUsage,
			input_tokens_details: { cached_tokens: 6 },
			output_tokens_details: { reasoning_tokens: 3 }
		});
	});
});

describe('ResponsesEventBuilder for the Responses face', () => {
	const request: ResponsesRequestEcho = {
		model: 'assistant',
		instructions: 'Be brief.',
		metadata: { ticket: '42' },
		parallel_tool_calls: true,
		temperature: null,
		top_p: null,
		tool_choice: 'auto',
		tools: [],
		max_output_tokens: null,
		previous_response_id: null,
		store: true
	};

	/** All events of a run on the face, with predictable ids and a fixed clock. */
	function faceEventsOf(run: RunEvent[]): ResponsesStreamEvent[] {
		let next = 0;
		const responses = new ResponsesEventBuilder({
			makeId: (prefix) => `${prefix}_${++next}`,
			now: () => NOW,
			face: { id: 'resp_face', request }
		});
		return run.flatMap((event) => responses.push(event));
	}

	const serverToolStep: RunEvent[] = [
		{ type: 'step-start' },
		{ type: 'tool-call-ready', toolCallId: 'call_s', toolName: 'now', input: {}, clientExecuted: false },
		{ type: 'tool-output', toolCallId: 'call_s', output: { time: 'noon' } },
		{ type: 'step-end', usage }
	];

	it('makes one response of the whole run, created at its start, with every step’s items', () => {
		const runEnd: RunEvent = { type: 'run-end', reason: 'completed', usage: { inputTokens: 20, outputTokens: 8 } };
		const events = faceEventsOf([runStart, ...serverToolStep, ...textStep, runEnd]);
		expect(events.slice(0, 2).map((event) => event.type)).toStrictEqual(['response.created', 'response.in_progress']);
		expect(events.filter((event) => event.type === 'response.created')).toHaveLength(1);
		const last = events.at(-1);
		expect(last?.type).toBe('response.completed');
		const final = last && 'response' in last ? last.response : undefined;
		expect(final).toMatchObject({
			id: 'resp_face',
			model: 'assistant',
			status: 'completed',
			completed_at: Math.floor(NOW / 1000),
			instructions: 'Be brief.',
			metadata: { ticket: '42' },
			temperature: 1,
			top_p: 1,
			store: true,
			usage: { input_tokens: 20, output_tokens: 8, total_tokens: 28 }
		});
		expect(final?.output.map((item) => item.type)).toStrictEqual(['function_call', 'function_call_output', 'reasoning', 'message']);
		expect(final?.output[1]).toMatchObject({ call_id: 'call_s', output: '{"time":"noon"}', status: 'completed' });
		expect(final?.output[3]).toMatchObject({ content: [{ type: 'output_text', text: 'Hello there', annotations: [], logprobs: [] }] });
		expect(events.map((event) => event.sequence_number)).toStrictEqual(events.map((_event, index) => index));
	});

	it('shows a hosted tool’s call once, with its result, as an mcp_call item', () => {
		let next = 0;
		const responses = new ResponsesEventBuilder({
			makeId: (prefix) => `${prefix}_${++next}`,
			now: () => NOW,
			face: { id: 'resp_face', request, hostedTools: new Set(['now', 'delete_file']) }
		});
		const events = [
			runStart,
			{ type: 'step-start' },
			{ type: 'tool-call-start', toolCallId: 'call_s', toolName: 'now' },
			{ type: 'tool-call-delta', toolCallId: 'call_s', inputTextDelta: '{}' },
			...serverToolStep.slice(1),
			{ type: 'run-end', reason: 'completed', usage }
		].flatMap((event) => responses.push(event as RunEvent));
		const added = events.filter((event) => event.type === 'response.output_item.added');
		expect(added.map((event) => ('item' in event ? event.item.type : null))).toStrictEqual(['mcp_call']);
		expect(responses.response()?.output).toStrictEqual([
			{
				id: 'mcp_1',
				type: 'mcp_call',
				server_label: 'parley',
				name: 'now',
				arguments: '{}',
				output: '{"time":"noon"}',
				error: null,
				status: 'completed',
				approval_request_id: null
			}
		]);
		// An approved call of the answer continued runs at the start of the next response.
		const continued = new ResponsesEventBuilder({
			face: {
				id: 'resp_next',
				request,
				hostedTools: new Set(['delete_file']),
				priorCalls: [{ toolCallId: 'call_a', name: 'delete_file', arguments: '{"path":"a"}', approvalId: 'approval_1' }]
			}
		});
		for (const event of [runStart, { type: 'tool-denied', toolCallId: 'call_a' }] as RunEvent[]) continued.push(event);
		expect(continued.response()?.output).toMatchObject([
			{ type: 'mcp_call', name: 'delete_file', status: 'failed', error: 'The call was not approved.', approval_request_id: 'approval_1' }
		]);
	});

	it('shows a call waiting for approval as an approval request item', () => {
		const events = faceEventsOf([
			runStart,
			{ type: 'step-start' },
			{ type: 'tool-call-ready', toolCallId: 'call_a', toolName: 'delete_file', input: { path: 'a' }, clientExecuted: false },
			{ type: 'tool-approval-request', toolCallId: 'call_a', approvalId: 'approval_1' },
			{ type: 'step-end', usage },
			{
				type: 'input-required',
				toolCalls: [{ toolCallId: 'call_a', toolName: 'delete_file', input: { path: 'a' }, approvalId: 'approval_1' }]
			},
			{ type: 'run-end', reason: 'awaiting-input', usage }
		]);
		const added = events
			.filter((event) => event.type === 'response.output_item.added')
			.map((event) => ('item' in event ? event.item : null));
		expect(added[1]).toStrictEqual({
			id: 'approval_1',
			type: 'mcp_approval_request',
			name: 'delete_file',
			arguments: '{"path":"a"}',
			server_label: 'parley'
		});
		expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { status: 'completed' } });
	});

	it('ends a stopped run as cancelled, a run at its limit as incomplete, keeping the partial output', () => {
		const partial: RunEvent[] = [
			runStart,
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Part' }
		];
		const stopped = faceEventsOf([...partial, { type: 'run-end', reason: 'interrupted', usage }]).at(-1);
		expect(stopped).toMatchObject({
			type: 'response.incomplete',
			response: {
				status: 'cancelled',
				incomplete_details: null,
				completed_at: null,
				output: [{ status: 'incomplete', content: [{ text: 'Part' }] }]
			}
		});
		const limited = faceEventsOf([...partial, { type: 'run-end', reason: 'limit', usage }]).at(-1);
		expect(limited).toMatchObject({
			type: 'response.incomplete',
			response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }
		});
	});

	it('fails the response on a run error, even before any step, never sending a bare error event', () => {
		const events = faceEventsOf([runStart, { type: 'run-error', message: 'The model failed.' }]);
		expect(events.map((event) => event.type)).toStrictEqual(['response.created', 'response.in_progress', 'response.failed']);
		expect(events.at(-1)).toMatchObject({
			response: { status: 'failed', error: { code: 'server_error', message: 'The model failed.' } }
		});
	});
});
