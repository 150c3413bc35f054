/**
 * OpenAI's Responses API: `POST /v1/responses`, streamed as `event:`/`data:` SSE pairs with a
 * `sequence_number` each (no `[DONE]`), or one JSON response object. Shapes follow the recordings
 * in vercel/ai `packages/openai/src/responses/__fixtures__` (e.g.
 * `openai-reasoning-encrypted-content.1.chunks.txt`, `openai-error.1.chunks.txt`).
 */
import type { ServerResponse } from 'node:http';
import {
	nowSeconds,
	randomBase64,
	randomHex,
	send,
	splitArguments,
	splitText,
	startEventStream,
	usageOf,
	writeEvent,
	type FakeStep,
	type ModelCall,
	type RecordedRequest,
	type Reply,
	type WireFormat
} from './core';
import {
	callId,
	obfuscation,
	openaiAuth,
	openaiError,
	openaiHeaders,
	openaiInvalid,
	openaiModelList,
	openaiNotFound
} from './openai-shared';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Ids as the Responses API gives them: a prefix and 50 hex digits (`resp_…`, `rs_…`, `msg_…`, `fc_…`). */
function itemId(prefix: string): string {
	return `${prefix}_${randomHex(50)}`;
}

/** The response object as `response.created` / `response.completed` / the JSON answer carry it. */
function responseObject(
	id: string,
	createdAt: number,
	body: Json,
	status: 'in_progress' | 'completed' | 'failed',
	output: Json[],
	usage: Json,
	error: Json = null
) {
	return {
		id,
		object: 'response',
		created_at: createdAt,
		status,
		background: false,
		error,
		incomplete_details: null,
		instructions: body?.instructions ?? null,
		max_output_tokens: body?.max_output_tokens ?? null,
		max_tool_calls: null,
		model: body?.model ?? 'fake-model',
		output,
		parallel_tool_calls: body?.parallel_tool_calls ?? true,
		previous_response_id: body?.previous_response_id ?? null,
		prompt_cache_key: null,
		prompt_cache_retention: null,
		reasoning: { effort: body?.reasoning?.effort ?? null, summary: body?.reasoning?.summary ?? null },
		safety_identifier: null,
		service_tier: status === 'in_progress' ? 'auto' : 'default',
		store: body?.store ?? true,
		temperature: body?.temperature ?? 1,
		text: { format: body?.text?.format ?? { type: 'text' }, verbosity: 'medium' },
		tool_choice: body?.tool_choice ?? 'auto',
		tools: body?.tools ?? [],
		top_logprobs: 0,
		top_p: body?.top_p ?? 1,
		truncation: 'disabled',
		usage,
		user: null,
		metadata: {}
	};
}

function usageObject(step: FakeStep) {
	const usage = usageOf(step);
	return {
		input_tokens: usage.input,
		input_tokens_details: { cached_tokens: usage.cachedInput },
		output_tokens: usage.output,
		output_tokens_details: { reasoning_tokens: usage.reasoning },
		total_tokens: usage.input + usage.output
	};
}

/** What a Responses fake remembers of the items it handed out. */
interface Memory {
	/** Items kept because the request did not set `store: false`, by id. */
	stored: Map<string, Json>;
	/** Every `encrypted_content` handed out. */
	encrypted: Set<string>;
	/** Each function call item's id → the id of the reasoning item that came before it. */
	reasoningOfCall: Map<string, string>;
}

/** The output items of a step, complete, in order: reasoning, message, function calls. */
function outputItems(step: FakeStep, body: Json, memory: Memory) {
	const items: Json[] = [];
	if (step.reasoning !== undefined) {
		const wantsEncrypted = Array.isArray(body?.include) && body.include.includes('reasoning.encrypted_content');
		const wantsSummary = body?.reasoning?.summary != null;
		items.push({
			id: itemId('rs'),
			type: 'reasoning',
			...(wantsEncrypted ? { encrypted_content: `gAAAAABp${randomBase64(360)}` } : {}),
			summary: wantsSummary ? [{ type: 'summary_text', text: step.reasoning }] : []
		});
	}
	if (step.text !== undefined) {
		items.push({
			id: itemId('msg'),
			type: 'message',
			status: 'completed',
			content: [{ type: 'output_text', annotations: [], logprobs: [], text: step.text }],
			role: 'assistant'
		});
	}
	for (const call of step.toolCalls ?? []) {
		items.push({
			id: itemId('fc'),
			type: 'function_call',
			status: 'completed',
			arguments: JSON.stringify(call.input),
			call_id: callId(),
			name: call.name
		});
	}
	const reasoning = items.find((item) => item.type === 'reasoning');
	for (const item of items) {
		if (body?.store !== false) memory.stored.set(item.id, item);
		if (item.encrypted_content) memory.encrypted.add(item.encrypted_content);
		if (reasoning && item.type === 'function_call') memory.reasoningOfCall.set(item.id, reasoning.id);
	}
	return items;
}

class ResponseStream {
	private sequence = 0;
	constructor(private readonly res: ServerResponse) {}

	emit(type: string, fields: Json) {
		writeEvent(this.res, { type, sequence_number: this.sequence++, ...fields }, { event: type });
	}
}

function streamAnswer(call: ModelCall, memory: Memory) {
	const { res, step, request } = call;
	const body = request.body;
	const id = itemId('resp');
	const createdAt = nowSeconds();
	const items = outputItems(step, body, memory);
	const stream = new ResponseStream(res);
	startEventStream(res, openaiHeaders());
	stream.emit('response.created', {
		response: responseObject(id, createdAt, body, 'in_progress', [], null)
	});
	stream.emit('response.in_progress', {
		response: responseObject(id, createdAt, body, 'in_progress', [], null)
	});

	const done: Json[] = [];
	/** The in-stream failure: an `error` event, then `response.failed`. */
	const fail = () => {
		const error = {
			type: 'server_error',
			code: 'server_error',
			message:
				'The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error.',
			param: null
		};
		stream.emit('error', { error });
		stream.emit('response.failed', {
			response: responseObject(id, createdAt, body, 'failed', done, null, {
				code: error.code,
				message: error.message
			})
		});
		res.end();
	};
	for (const [outputIndex, item] of items.entries()) {
		if (item.type === 'reasoning') {
			stream.emit('response.output_item.added', {
				output_index: outputIndex,
				item: { ...item, summary: [] }
			});
			if (item.summary.length) {
				const text: string = item.summary[0].text;
				const where = { item_id: item.id, output_index: outputIndex, summary_index: 0 };
				stream.emit('response.reasoning_summary_part.added', {
					...where,
					part: { type: 'summary_text', text: '' }
				});
				for (const delta of splitText(text)) {
					stream.emit('response.reasoning_summary_text.delta', {
						...where,
						delta,
						obfuscation: obfuscation()
					});
				}
				stream.emit('response.reasoning_summary_text.done', { ...where, text });
				stream.emit('response.reasoning_summary_part.done', {
					...where,
					part: { type: 'summary_text', text }
				});
			}
			stream.emit('response.output_item.done', { output_index: outputIndex, item });
		} else if (item.type === 'message') {
			const text: string = item.content[0].text;
			const where = { item_id: item.id, output_index: outputIndex, content_index: 0 };
			stream.emit('response.output_item.added', {
				output_index: outputIndex,
				item: { ...item, status: 'in_progress', content: [] }
			});
			stream.emit('response.content_part.added', {
				...where,
				part: { type: 'output_text', annotations: [], logprobs: [], text: '' }
			});
			const pieces = splitText(text);
			if (step.hang) {
				stream.emit('response.output_text.delta', {
					...where,
					delta: pieces[0],
					logprobs: [],
					obfuscation: obfuscation()
				});
				return call.hold();
			}
			for (const delta of pieces) {
				stream.emit('response.output_text.delta', {
					...where,
					delta,
					logprobs: [],
					obfuscation: obfuscation()
				});
			}
			if (step.midStreamError === 'reset') return call.reset();
			if (step.midStreamError === 'provider') return fail();
			stream.emit('response.output_text.done', { ...where, text, logprobs: [] });
			stream.emit('response.content_part.done', {
				...where,
				part: { type: 'output_text', annotations: [], logprobs: [], text }
			});
			stream.emit('response.output_item.done', { output_index: outputIndex, item });
		} else {
			stream.emit('response.output_item.added', {
				output_index: outputIndex,
				item: { ...item, status: 'in_progress', arguments: '' }
			});
			for (const delta of splitArguments(item.arguments)) {
				stream.emit('response.function_call_arguments.delta', {
					item_id: item.id,
					output_index: outputIndex,
					delta,
					obfuscation: obfuscation()
				});
			}
			stream.emit('response.function_call_arguments.done', {
				item_id: item.id,
				output_index: outputIndex,
				arguments: item.arguments
			});
			stream.emit('response.output_item.done', { output_index: outputIndex, item });
		}
		done.push(item);
	}
	// A step without text still fails or hangs where it was asked to.
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return fail();
	stream.emit('response.completed', {
		response: responseObject(id, createdAt, body, 'completed', items, usageObject(step))
	});
	res.end();
}

function jsonAnswer(call: ModelCall, memory: Memory) {
	const { step, request } = call;
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return send(call.res, openaiError(500));
	const response = responseObject(
		itemId('resp'),
		nowSeconds(),
		request.body,
		'completed',
		outputItems(step, request.body, memory),
		usageObject(step)
	);
	send(call.res, {
		status: 200,
		headers: openaiHeaders(),
		body: JSON.stringify({ ...response, billing: { payer: 'developer' } })
	});
}

function itemNotFound(id: string, storeOff: boolean): Reply {
	const message = storeOff
		? `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`
		: `Item with id '${id}' not found.`;
	return openaiInvalid(message, 'input', { status: 404 });
}

/**
 * The Responses API's own refusals of replayed input: item references and reasoning items it
 * does not have (nothing is kept under `store: false`, so reasoning must come back with its
 * `encrypted_content`), encrypted content it did not issue, a function call without the
 * reasoning item it came with, and a function call output without its call.
 */
function validate(request: RecordedRequest, memory: Memory): Reply | null {
	const body = request.body;
	const input: Json[] = Array.isArray(body?.input) ? body.input : [];
	const storeOff = body?.store === false;
	const present = new Set<string>();
	const callIds = new Set<string>();
	for (const item of input) {
		if (item?.type === 'item_reference') {
			const stored = memory.stored.get(item.id);
			if (!stored) return itemNotFound(item.id, storeOff);
			present.add(item.id);
			if (stored.type === 'function_call') callIds.add(stored.call_id);
		} else if (item?.type === 'reasoning') {
			if (item.encrypted_content != null) {
				if (!memory.encrypted.has(item.encrypted_content)) {
					return openaiInvalid(`The encrypted content for item ${item.id} could not be verified.`, null, {
						code: 'invalid_encrypted_content'
					});
				}
			} else if (storeOff || !memory.stored.has(item.id)) {
				return itemNotFound(item.id, storeOff);
			}
			present.add(item.id);
		} else if (item?.type === 'function_call') {
			if (item.id) present.add(item.id);
			callIds.add(item.call_id);
		}
	}
	for (const item of input) {
		const callItem = item?.type === 'function_call' || item?.type === 'item_reference' ? item.id : undefined;
		const reasoningId = callItem && memory.reasoningOfCall.get(callItem);
		if (reasoningId && !present.has(reasoningId)) {
			return openaiInvalid(
				`Item '${callItem}' of type 'function_call' was provided without its required 'reasoning' item: '${reasoningId}'.`,
				null
			);
		}
	}
	if (body?.previous_response_id) return null;
	for (const item of input) {
		if (item?.type === 'function_call_output' && !callIds.has(item.call_id)) {
			return openaiInvalid(`No tool call found for function call output with call_id ${item.call_id}.`, 'input');
		}
	}
	return null;
}

/** `POST /v1/responses`, `GET /v1/models`; remembers the items it handed out. */
export function openaiResponsesWire(): WireFormat {
	const memory: Memory = { stored: new Map(), encrypted: new Set(), reasoningOfCall: new Map() };
	return {
		basePath: '/v1',
		route(method, segments) {
			if (method === 'POST' && segments.join('/') === 'responses') return 'model';
			if (method === 'GET' && segments.join('/') === 'models') return 'models';
			return null;
		},
		checkAuth: (request, _query, apiKey) => openaiAuth(request, apiKey),
		errorReply: openaiError,
		notFound: openaiNotFound,
		modelList: openaiModelList,
		validate: (request) => validate(request, memory),
		answer(call) {
			if (call.request.body?.stream === true) streamAnswer(call, memory);
			else jsonAnswer(call, memory);
		}
	};
}
