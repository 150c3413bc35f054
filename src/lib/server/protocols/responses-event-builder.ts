import { newId } from '../ids';
import type { RunEvent, RunUsage } from '../runtime/events';

/** A text part of an output message (`logprobs` only on the Responses face, where it is required). */
export interface ResponsesOutputText {
	type: 'output_text';
	text: string;
	annotations: never[];
	logprobs?: never[];
}

/** A part of a reasoning summary. */
export interface ResponsesSummaryText {
	type: 'summary_text';
	text: string;
}

/** How far an output item got. */
export type ResponsesItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** An item of a response's output, as the OpenAI Responses API shows it. */
export type ResponsesOutputItem =
	| { id: string; type: 'message'; role: 'assistant'; status: ResponsesItemStatus; content: ResponsesOutputText[] }
	| {
			id: string;
			type: 'function_call';
			call_id: string;
			name: string;
			arguments: string;
			status: ResponsesItemStatus;
	  }
	| { id: string; type: 'reasoning'; summary: ResponsesSummaryText[] }
	/** The result of a call the server ran (the agent's own tools; Responses face only). */
	| { id: string; type: 'function_call_output'; call_id: string; output: string; status: ResponsesItemStatus }
	/** A call of the agent's tool that waits for the caller's approval (Responses face only). */
	| { id: string; type: 'mcp_approval_request'; name: string; arguments: string; server_label: string }
	/**
	 * A call of one of the agent's own tools, run on the server, with its result (Responses face
	 * with `hostedTools` only): the agent's tools show as a hosted tool server named `parley`.
	 */
	| {
			id: string;
			type: 'mcp_call';
			server_label: string;
			name: string;
			arguments: string;
			output: string | null;
			error: string | null;
			status: 'completed' | 'failed';
			approval_request_id: string | null;
	  };

type MessageItem = Extract<ResponsesOutputItem, { type: 'message' }>;
type FunctionCallItem = Extract<ResponsesOutputItem, { type: 'function_call' }>;
type ReasoningItem = Extract<ResponsesOutputItem, { type: 'reasoning' }>;

/** Token counts in the Responses API's shape. */
export interface ResponsesUsage {
	input_tokens: number;
	/** `cache_write_tokens` on the Responses face only (the SDK's type requires it; unknown, so 0). */
	input_tokens_details: { cached_tokens: number; cache_write_tokens?: number };
	output_tokens: number;
	output_tokens_details: { reasoning_tokens: number };
	total_tokens: number;
}

/** A caller's function tool, as a response echoes it. */
export interface ResponsesFunctionTool {
	type: 'function';
	name: string;
	description: string | null;
	parameters: Record<string, unknown> | null;
	strict: boolean | null;
}

/** Which tools the model may call: any, none, at least one, or the named function. */
export type ResponsesToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

/** Where a response got to. */
export type ResponsesStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed' | 'cancelled';

/**
 * A response object (one step of a run), as the Responses API streams it. The optional fields are
 * those the agent API leaves out and the Responses face always sends (`FullResponsesResponse`).
 */
export interface ResponsesResponse {
	id: string;
	object: 'response';
	created_at: number;
	status: ResponsesStatus;
	model: string;
	output: ResponsesOutputItem[];
	error: { code: string; message: string } | null;
	incomplete_details: { reason: string } | null;
	instructions: string | null;
	metadata: Record<string, string>;
	parallel_tool_calls: boolean;
	temperature: number | null;
	tool_choice: ResponsesToolChoice;
	tools: ResponsesFunctionTool[];
	top_p: number | null;
	usage: ResponsesUsage | null;
	completed_at?: number | null;
	previous_response_id?: string | null;
	store?: boolean;
	text?: { format: ResponsesTextFormat };
	truncation?: 'disabled';
	reasoning?: null;
	user?: null;
	presence_penalty?: number;
	frequency_penalty?: number;
	top_logprobs?: number;
	max_output_tokens?: number | null;
	max_tool_calls?: null;
	background?: boolean;
	service_tier?: 'default';
	safety_identifier?: null;
	prompt_cache_key?: null;
}

/** A response object with every field the Open Responses specification requires. */
export type FullResponsesResponse = Required<ResponsesResponse>;

/** The form of a response's text, as the caller asked for it. */
export type ResponsesTextFormat =
	| { type: 'text' }
	| { type: 'json_object' }
	| { type: 'json_schema'; name: string; schema: Record<string, unknown>; description?: string; strict: boolean | null };

/** What the caller asked for, as a Responses face echoes it on its response. */
export interface ResponsesRequestEcho {
	/** The agent's slug, as the caller sent it in `model`. */
	model: string;
	instructions: string | null;
	metadata: Record<string, string>;
	parallel_tool_calls: boolean;
	temperature: number | null;
	top_p: number | null;
	tool_choice: ResponsesToolChoice;
	tools: ResponsesFunctionTool[];
	max_output_tokens: number | null;
	previous_response_id: string | null;
	store: boolean;
	/** The form of the answer's text (plain text when not given). */
	text?: ResponsesTextFormat;
}

/**
 * The Responses face: one response for the whole run (a request is one response, its output every
 * step's items), created before the run's first event, with a known id and the request echoed.
 */
export interface ResponsesFaceOptions {
	/** The response's id, `resp_…`. */
	id: string;
	request: ResponsesRequestEcho;
	/**
	 * The tools the server runs (the agent's own): their calls are not streamed as `function_call`
	 * items; each shows once it has a result, as one `mcp_call` item (`server_label: "parley"`).
	 * Without it, such a call is a `function_call` item followed by a `function_call_output` item.
	 */
	hostedTools?: ReadonlySet<string>;
	/**
	 * Calls made before this response (in the answer it continues), whose results it may show:
	 * an approved call runs at the start of the next response.
	 */
	priorCalls?: readonly { toolCallId: string; name: string; arguments: string; approvalId?: string }[];
}

/** The server label of the agent's own tools, shown as a hosted tool server. */
export const HOSTED_SERVER_LABEL = 'parley';

/** A response object as the Responses face starts it: every required field, no output yet. */
export function newFullResponse(face: ResponsesFaceOptions, createdAt: number): FullResponsesResponse {
	const { request } = face;
	return {
		id: face.id,
		object: 'response',
		created_at: createdAt,
		completed_at: null,
		status: 'in_progress',
		error: null,
		incomplete_details: null,
		instructions: request.instructions,
		model: request.model,
		output: [],
		parallel_tool_calls: request.parallel_tool_calls,
		previous_response_id: request.previous_response_id,
		store: request.store,
		// The agent's settings apply: a caller's value is echoed, an unset one shows the usual default.
		temperature: request.temperature ?? 1,
		top_p: request.top_p ?? 1,
		presence_penalty: 0,
		frequency_penalty: 0,
		top_logprobs: 0,
		tool_choice: request.tool_choice,
		tools: request.tools,
		text: { format: request.text ?? { type: 'text' } },
		truncation: 'disabled',
		reasoning: null,
		user: null,
		usage: null,
		metadata: { ...request.metadata },
		max_output_tokens: request.max_output_tokens,
		max_tool_calls: null,
		background: false,
		service_tier: 'default',
		safety_identifier: null,
		prompt_cache_key: null
	};
}

/** Fields of the events about one content part of an output item. */
interface ContentAddress {
	item_id: string;
	output_index: number;
	content_index: number;
}

/** Fields of the events about one part of a reasoning summary. */
interface SummaryAddress {
	item_id: string;
	output_index: number;
	summary_index: number;
}

/** One event type with the given fields, for each type of a union (so each is its own member). */
type Each<T extends string, Fields> = T extends string ? { type: T } & Fields : never;

/** The events of an OpenAI Responses stream that a run produces, without their sequence number. */
export type ResponsesStreamEventBody =
	| Each<'response.created' | 'response.in_progress', { response: ResponsesResponse }>
	| Each<'response.completed' | 'response.incomplete' | 'response.failed', { response: ResponsesResponse }>
	| Each<'response.output_item.added' | 'response.output_item.done', { output_index: number; item: ResponsesOutputItem }>
	| Each<'response.content_part.added' | 'response.content_part.done', { part: ResponsesOutputText } & ContentAddress>
	| ({ type: 'response.output_text.delta'; delta: string; logprobs: never[] } & ContentAddress)
	| ({ type: 'response.output_text.done'; text: string; logprobs: never[] } & ContentAddress)
	| Each<'response.reasoning_summary_part.added' | 'response.reasoning_summary_part.done', { part: ResponsesSummaryText } & SummaryAddress>
	| ({ type: 'response.reasoning_summary_text.delta'; delta: string } & SummaryAddress)
	| ({ type: 'response.reasoning_summary_text.done'; text: string } & SummaryAddress)
	| { type: 'response.function_call_arguments.delta'; item_id: string; output_index: number; delta: string }
	| { type: 'response.function_call_arguments.done'; item_id: string; output_index: number; name: string; arguments: string }
	| { type: 'error'; code: string; message: string; param: null };

/** One event of an OpenAI Responses stream, numbered. */
export type ResponsesStreamEvent = ResponsesStreamEventBody & { sequence_number: number };

/** What the builder needs from outside: ids and the clock (fixed in tests). */
export interface ResponsesEventBuilderOptions {
	/** Makes an id with a prefix (`resp`, `msg`, `fc`, `rs`). */
	makeId?: (prefix: string) => string;
	/** The time in milliseconds. */
	now?: () => number;
	/** Build the Responses face's single response rather than the agent API's one per step. */
	face?: ResponsesFaceOptions;
}

/** What a server tool's result says when the call failed or was not approved. */
export const DENIED_OUTPUT = 'The call was not approved.';

/** The error code of a failed step, as the Responses API names a server-side failure. */
const SERVER_ERROR = 'server_error';

/** The response in progress and where its open items are. */
interface OpenResponse {
	response: ResponsesResponse;
	/** Output index of each open text (by text id), reasoning (by id) and tool call (by call id). */
	texts: Map<string, number>;
	reasoning: Map<string, number>;
	calls: Map<string, number>;
}

/** The sum of two token counts (unknown counts as 0). */
function addUsage(a: RunUsage, b: RunUsage): RunUsage {
	const sum = (x: number | undefined, y: number | undefined) => (x ?? 0) + (y ?? 0);
	return {
		inputTokens: sum(a.inputTokens, b.inputTokens),
		outputTokens: sum(a.outputTokens, b.outputTokens),
		reasoningTokens: sum(a.reasoningTokens, b.reasoningTokens),
		cachedInputTokens: sum(a.cachedInputTokens, b.cachedInputTokens)
	};
}

/** The arguments of a tool call as OpenAI sends them: a JSON string. */
export function toolCallArguments(input: unknown): string {
	return JSON.stringify(input ?? {}) ?? '{}';
}

/**
 * Token counts of a step in the Responses API's shape, with the cached input and reasoning tokens
 * the model reported (the details are required there, so an unknown count is 0, as is any other).
 */
export function usageOf(usage: RunUsage): ResponsesUsage {
	const input = usage.inputTokens ?? 0;
	const output = usage.outputTokens ?? 0;
	return {
		input_tokens: input,
		input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
		output_tokens: output,
		output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
		total_tokens: input + output
	};
}

/**
 * Turns run events into OpenAI Responses stream events, one response per step of the run (as an
 * agent framework streams each model call): `response.created`, the output items with their
 * deltas, then `response.completed` — or `response.incomplete` when the run is stopped and
 * `response.failed` when it fails. Tool results and approvals have no Responses event: they
 * happen between responses. Every event is a copy, safe to serialise later.
 */
export class ResponsesEventBuilder {
	private readonly makeId: (prefix: string) => string;
	private readonly now: () => number;
	private model = '';
	private metadata: Record<string, string> = {};
	private open: OpenResponse | null = null;
	private sequence = 0;
	private readonly face: ResponsesFaceOptions | undefined;
	/** The face's one response, once started: it stays after the run ends, for the final object. */
	private faceResponse: ResponsesResponse | null = null;
	/** The usage of the steps so far (face only: its response covers the whole run). */
	private stepUsage: RunUsage = { inputTokens: 0, outputTokens: 0 };
	/** The name and arguments of each ready call, for the approval requests and results that follow (face only). */
	private readyCalls = new Map<string, { name: string; arguments: string; approvalId?: string }>();
	/** The calls of hosted tools (face with `hostedTools` only): shown once they have a result. */
	private readonly hostedCalls = new Set<string>();

	constructor(options: ResponsesEventBuilderOptions = {}) {
		this.makeId = options.makeId ?? ((prefix) => `${prefix}_${newId()}`);
		this.now = options.now ?? Date.now;
		this.face = options.face;
		for (const call of this.face?.priorCalls ?? []) {
			this.readyCalls.set(call.toolCallId, { name: call.name, arguments: call.arguments, approvalId: call.approvalId });
			if (this.face?.hostedTools?.has(call.name)) this.hostedCalls.add(call.toolCallId);
		}
	}

	/** Whether a call of this tool is a hosted one (face with `hostedTools` only). */
	private isHosted(toolName: string): boolean {
		return this.face?.hostedTools?.has(toolName) === true;
	}

	/** The Responses face's response as it stands (a copy), or null before it starts or without a face. */
	response(): ResponsesResponse | null {
		return this.faceResponse ? structuredClone(this.faceResponse) : null;
	}

	/** The Responses events for one run event, in order (often none). */
	push(event: RunEvent): ResponsesStreamEvent[] {
		return this.bodiesOf(event).map((body) => ({ ...structuredClone(body), sequence_number: this.sequence++ }));
	}

	private bodiesOf(event: RunEvent): ResponsesStreamEventBody[] {
		switch (event.type) {
			case 'run-start':
				this.model = event.model;
				this.metadata = { session_id: event.taskId, message_id: event.messageId };
				return this.face && !this.faceResponse ? this.start() : [];
			case 'step-start':
				if (this.face) return this.open || this.faceResponse ? [] : this.start();
				return [...this.finish('completed'), ...this.start()];
			case 'reasoning-start': {
				const item: ReasoningItem = { id: this.makeId('rs'), type: 'reasoning', summary: [] };
				return this.addItem('reasoning', event.id, item, (output_index) => {
					const part: ResponsesSummaryText = { type: 'summary_text', text: '' };
					item.summary.push(part);
					return [{ type: 'response.reasoning_summary_part.added', item_id: item.id, output_index, summary_index: 0, part }];
				});
			}
			case 'reasoning-delta':
				return this.withItem('reasoning', event.id, 'reasoning', (item, output_index) => {
					item.summary[0].text += event.delta;
					return [{ type: 'response.reasoning_summary_text.delta', item_id: item.id, output_index, summary_index: 0, delta: event.delta }];
				});
			case 'reasoning-end':
				return this.withItem('reasoning', event.id, 'reasoning', (item, output_index) => {
					this.open?.reasoning.delete(event.id);
					const address = { item_id: item.id, output_index, summary_index: 0 };
					return [
						{ type: 'response.reasoning_summary_text.done', ...address, text: item.summary[0].text },
						{ type: 'response.reasoning_summary_part.done', ...address, part: item.summary[0] },
						{ type: 'response.output_item.done', output_index, item }
					];
				});
			case 'text-start': {
				const item: MessageItem = { id: this.makeId('msg'), type: 'message', role: 'assistant', status: 'in_progress', content: [] };
				return this.addItem('texts', event.id, item, (output_index) => {
					const part: ResponsesOutputText = { type: 'output_text', text: '', annotations: [] };
					if (this.face) part.logprobs = [];
					item.content.push(part);
					return [{ type: 'response.content_part.added', item_id: item.id, output_index, content_index: 0, part }];
				});
			}
			case 'text-delta':
				return this.withItem('texts', event.id, 'message', (item, output_index) => {
					item.content[0].text += event.delta;
					return [
						{
							type: 'response.output_text.delta',
							item_id: item.id,
							output_index,
							content_index: 0,
							delta: event.delta,
							logprobs: []
						}
					];
				});
			case 'text-end':
				return this.withItem('texts', event.id, 'message', (item, output_index) => {
					this.open?.texts.delete(event.id);
					item.status = 'completed';
					const address = { item_id: item.id, output_index, content_index: 0 };
					return [
						{ type: 'response.output_text.done', ...address, text: item.content[0].text, logprobs: [] },
						{ type: 'response.content_part.done', ...address, part: item.content[0] },
						{ type: 'response.output_item.done', output_index, item }
					];
				});
			case 'tool-call-start':
				if (this.isHosted(event.toolName)) {
					this.hostedCalls.add(event.toolCallId);
					return this.open || this.faceResponse ? [] : this.start();
				}
				return this.startCall(event.toolCallId, event.toolName);
			case 'tool-call-delta':
				return this.withItem('calls', event.toolCallId, 'function_call', (item, output_index) => {
					item.arguments += event.inputTextDelta;
					return [{ type: 'response.function_call_arguments.delta', item_id: item.id, output_index, delta: event.inputTextDelta }];
				});
			case 'tool-call-ready':
			case 'tool-call-invalid': {
				if (this.isHosted(event.toolName)) {
					this.hostedCalls.add(event.toolCallId);
					this.readyCalls.set(event.toolCallId, { name: event.toolName, arguments: toolCallArguments(event.input) });
					return [];
				}
				const started = this.open?.calls.has(event.toolCallId) ? [] : this.startCall(event.toolCallId, event.toolName);
				return [
					...started,
					...this.withItem('calls', event.toolCallId, 'function_call', (item, output_index) => {
						this.open?.calls.delete(event.toolCallId);
						item.arguments = toolCallArguments(event.input);
						if (this.face) this.readyCalls.set(event.toolCallId, { name: item.name, arguments: item.arguments });
						item.status = 'completed';
						return [
							{
								type: 'response.function_call_arguments.done',
								item_id: item.id,
								output_index,
								name: item.name,
								arguments: item.arguments
							},
							{ type: 'response.output_item.done', output_index, item }
						];
					})
				];
			}
			case 'tool-approval-request': {
				const call = this.face && this.readyCalls.get(event.toolCallId);
				if (!call) return [];
				call.approvalId = event.approvalId;
				return this.addWholeItem({
					id: event.approvalId,
					type: 'mcp_approval_request',
					name: call.name,
					arguments: call.arguments,
					server_label: HOSTED_SERVER_LABEL
				});
			}
			case 'tool-output':
				return this.callOutput(event.toolCallId, typeof event.output === 'string' ? event.output : toolCallArguments(event.output));
			case 'tool-error':
				return this.callOutput(event.toolCallId, event.errorText, true);
			case 'tool-denied':
				return this.callOutput(event.toolCallId, DENIED_OUTPUT, true);
			case 'input-required':
			case 'widget':
				return [];
			case 'step-end':
				if (this.face) {
					this.stepUsage = addUsage(this.stepUsage, event.usage);
					return [];
				}
				return this.finish('completed', event.usage);
			case 'run-end':
				if (this.face) {
					const unknown = event.usage.inputTokens === undefined && event.usage.outputTokens === undefined;
					const usage = unknown ? this.stepUsage : event.usage;
					if (event.reason === 'interrupted') return this.finish('cancelled', usage);
					if (event.reason === 'limit') return this.finish('incomplete', usage, 'max_output_tokens');
					return this.finish('completed', usage);
				}
				if (event.reason === 'interrupted') return this.finish('incomplete', undefined, 'interrupted');
				if (event.reason === 'limit') return this.finish('incomplete', undefined, 'max_output_tokens');
				return this.finish('completed', event.usage);
			case 'run-error':
				if (this.face) {
					const started = this.open || this.faceResponse ? [] : this.start();
					return [...started, ...this.finish('failed', this.stepUsage, undefined, { code: SERVER_ERROR, message: event.message })];
				}
				if (!this.open) return [{ type: 'error', code: SERVER_ERROR, message: event.message, param: null }];
				return this.finish('failed', undefined, undefined, { code: SERVER_ERROR, message: event.message });
			default: {
				const unknown: never = event;
				throw new Error(`Unhandled run event ${JSON.stringify(unknown)}`);
			}
		}
	}

	/** Opens the response of a new step. */
	private start(): ResponsesStreamEventBody[] {
		if (this.face) {
			const response: ResponsesResponse = newFullResponse(this.face, Math.floor(this.now() / 1000));
			this.faceResponse = response;
			this.open = { response, texts: new Map(), reasoning: new Map(), calls: new Map() };
			return [
				{ type: 'response.created', response },
				{ type: 'response.in_progress', response }
			];
		}
		const response: ResponsesResponse = {
			id: this.makeId('resp'),
			object: 'response',
			created_at: Math.floor(this.now() / 1000),
			status: 'in_progress',
			model: this.model,
			output: [],
			error: null,
			incomplete_details: null,
			instructions: null,
			metadata: { ...this.metadata },
			parallel_tool_calls: true,
			temperature: null,
			tool_choice: 'auto',
			tools: [],
			top_p: null,
			usage: null
		};
		this.open = { response, texts: new Map(), reasoning: new Map(), calls: new Map() };
		return [
			{ type: 'response.created', response },
			{ type: 'response.in_progress', response }
		];
	}

	/**
	 * Closes the open response, if any: items still open are marked done (`incomplete` unless the
	 * step completed), then the closing event.
	 */
	private finish(
		status: 'completed' | 'incomplete' | 'failed' | 'cancelled',
		usage?: RunUsage,
		incompleteReason?: string,
		error?: { code: string; message: string }
	): ResponsesStreamEventBody[] {
		const open = this.open;
		if (!open) return [];
		this.open = null;
		const bodies: ResponsesStreamEventBody[] = [];
		const openIndexes = [...open.texts.values(), ...open.reasoning.values(), ...open.calls.values()].sort((a, b) => a - b);
		for (const output_index of openIndexes) {
			const item = open.response.output[output_index];
			if ('status' in item) item.status = status === 'completed' ? 'completed' : 'incomplete';
			bodies.push({ type: 'response.output_item.done', output_index, item });
		}
		const response = open.response;
		response.status = status;
		if (usage) {
			response.usage = usageOf(usage);
			if (this.face) response.usage.input_tokens_details.cache_write_tokens = 0;
		}
		if (incompleteReason) response.incomplete_details = { reason: incompleteReason };
		if (error) response.error = error;
		if (this.face && status === 'completed') response.completed_at = Math.floor(this.now() / 1000);
		// A cancelled response has no event of its own: it ends the stream as incomplete does.
		const type = status === 'completed' ? 'response.completed' : status === 'failed' ? 'response.failed' : 'response.incomplete';
		bodies.push({ type, response });
		return bodies;
	}

	/** Adds an output item to the open response (opening one when a provider skipped the step start). */
	private addItem(
		kind: 'texts' | 'reasoning' | 'calls',
		key: string,
		item: ResponsesOutputItem,
		then: (outputIndex: number) => ResponsesStreamEventBody[]
	): ResponsesStreamEventBody[] {
		const started = this.open ? [] : this.start();
		const open = this.open;
		if (!open) return started;
		const output_index = open.response.output.length;
		open.response.output.push(item);
		open[kind].set(key, output_index);
		// The `added` event shows the item as it was before its first part.
		const added: ResponsesStreamEventBody = { type: 'response.output_item.added', output_index, item: structuredClone(item) };
		return [...started, added, ...then(output_index)];
	}

	/** Adds an item that is complete from the start: its `added` and `done` events. */
	private addWholeItem(item: ResponsesOutputItem): ResponsesStreamEventBody[] {
		const started = this.open ? [] : this.start();
		const open = this.open;
		if (!open) return started;
		const output_index = open.response.output.length;
		open.response.output.push(item);
		return [
			...started,
			{ type: 'response.output_item.added', output_index, item },
			{ type: 'response.output_item.done', output_index, item }
		];
	}

	/**
	 * The result of a call the server ran (face only): one `mcp_call` item for a hosted tool, else a
	 * `function_call_output` item after its call.
	 */
	private callOutput(toolCallId: string, output: string, failed = false): ResponsesStreamEventBody[] {
		const call = this.readyCalls.get(toolCallId);
		if (!this.face || !call) return [];
		if (this.hostedCalls.has(toolCallId)) {
			return this.addWholeItem({
				id: this.makeId('mcp'),
				type: 'mcp_call',
				server_label: HOSTED_SERVER_LABEL,
				name: call.name,
				arguments: call.arguments,
				output: failed ? null : output,
				error: failed ? output : null,
				status: failed ? 'failed' : 'completed',
				approval_request_id: call.approvalId ?? null
			});
		}
		return this.addWholeItem({
			id: this.makeId('fco'),
			type: 'function_call_output',
			call_id: toolCallId,
			output,
			status: 'completed'
		});
	}

	/** Starts a function call item. */
	private startCall(toolCallId: string, name: string): ResponsesStreamEventBody[] {
		const item: FunctionCallItem = {
			id: this.makeId('fc'),
			type: 'function_call',
			call_id: toolCallId,
			name,
			arguments: '',
			status: 'in_progress'
		};
		return this.addItem('calls', toolCallId, item, () => []);
	}

	/** Runs `then` on an open item of the given type; events about unknown items are dropped. */
	private withItem<K extends ResponsesOutputItem['type']>(
		kind: 'texts' | 'reasoning' | 'calls',
		key: string,
		type: K,
		then: (item: Extract<ResponsesOutputItem, { type: K }>, outputIndex: number) => ResponsesStreamEventBody[]
	): ResponsesStreamEventBody[] {
		const output_index = this.open?.[kind].get(key);
		if (output_index === undefined || !this.open) return [];
		const item = this.open.response.output[output_index];
		if (item.type !== type) return [];
		return then(item as Extract<ResponsesOutputItem, { type: K }>, output_index);
	}
}
