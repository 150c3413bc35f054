/**
 * Anthropic's Messages API: `POST /v1/messages` with `x-api-key` and `anthropic-version`,
 * streamed as `event:`/`data:` SSE pairs (message_start, content blocks, ping, message_delta,
 * message_stop; `event: error` mid-stream), or one `message` JSON object. Shapes follow vercel/ai
 * `packages/anthropic/src/__fixtures__` (`anthropic-text.chunks.txt`,
 * `anthropic-clear-thinking.1.chunks.txt`, `anthropic-json-tool.1.chunks.txt`).
 */
import type { ServerResponse } from 'node:http';
import {
	randomAlphanumeric,
	randomBase64,
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

const ERROR_TYPES: Record<number, { type: string; message: string }> = {
	400: { type: 'invalid_request_error', message: 'Invalid request.' },
	401: { type: 'authentication_error', message: 'invalid x-api-key' },
	403: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
	404: { type: 'not_found_error', message: 'Not Found' },
	413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
	429: {
		type: 'rate_limit_error',
		message:
			'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.'
	},
	500: { type: 'api_error', message: 'Internal server error' },
	529: { type: 'overloaded_error', message: 'Overloaded' }
};

function requestId(): string {
	return `req_011C${randomAlphanumeric(20)}`;
}

function anthropicHeaders(): Record<string, string> {
	return { 'request-id': requestId(), 'anthropic-organization-id': 'fake-organization' };
}

/** Anthropic's error reply: `{ type: 'error', error: { type, message }, request_id }`. */
export function anthropicError(status: number, message?: string, retryAfter?: number, model?: string): Reply {
	const known = ERROR_TYPES[status] ?? ERROR_TYPES[status >= 500 ? 500 : 400];
	// An unknown model is answered `not_found_error` "model: <name>".
	const defaultMessage = status === 404 && model ? `model: ${model}` : known.message;
	const headers = anthropicHeaders();
	if (status === 429) {
		headers['anthropic-ratelimit-requests-limit'] = '50';
		headers['anthropic-ratelimit-requests-remaining'] = '0';
	}
	if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
	if (status === 529 || status >= 500) headers['x-should-retry'] = 'true';
	const body = {
		type: 'error',
		error: { type: known.type, message: message ?? defaultMessage },
		request_id: headers['request-id']
	};
	return { status, headers, body: JSON.stringify(body) };
}

function checkAuth(request: RecordedRequest, apiKey: string | undefined): Reply | null {
	if (!request.headers['anthropic-version']) {
		return anthropicError(400, 'anthropic-version: header is required');
	}
	if (apiKey === undefined) return null;
	const given = request.headers['x-api-key'];
	if (!given) return anthropicError(401, 'x-api-key header is required');
	if (given !== apiKey) return anthropicError(401, 'invalid x-api-key');
	return null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Block = any;

/** The content blocks of a step, complete: thinking, text, tool_use. Signatures go to `issued`. */
function contentBlocks(step: FakeStep, issued: Set<string>): Block[] {
	const blocks: Block[] = [];
	if (step.reasoning !== undefined) {
		const signature = randomBase64(240);
		issued.add(signature);
		blocks.push({ type: 'thinking', thinking: step.reasoning, signature });
	}
	if (step.text !== undefined) blocks.push({ type: 'text', text: step.text });
	for (const call of step.toolCalls ?? []) {
		blocks.push({
			type: 'tool_use',
			id: `toolu_01${randomAlphanumeric(22)}`,
			name: call.name,
			input: call.input
		});
	}
	return blocks;
}

/** Anthropic counts `input_tokens` without the tokens read from or written to the cache. */
function usageObject(step: FakeStep) {
	const usage = usageOf(step);
	return {
		input_tokens: usage.input - usage.cachedInput,
		cache_creation_input_tokens: 0,
		cache_read_input_tokens: usage.cachedInput,
		output_tokens: usage.output
	};
}

function stopReason(step: FakeStep) {
	return step.toolCalls?.length ? 'tool_use' : 'end_turn';
}

function messageObject(step: FakeStep, model: string, content: Block[], streaming: boolean) {
	const usage = usageObject(step);
	return {
		model,
		id: `msg_01${randomAlphanumeric(22)}`,
		type: 'message',
		role: 'assistant',
		content,
		stop_reason: streaming ? null : stopReason(step),
		stop_sequence: null,
		usage: {
			input_tokens: usage.input_tokens,
			cache_creation_input_tokens: usage.cache_creation_input_tokens,
			cache_read_input_tokens: usage.cache_read_input_tokens,
			cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
			// message_start reports the first output token; message_delta the final count.
			output_tokens: streaming ? 1 : usage.output_tokens,
			service_tier: 'standard'
		}
	};
}

function emit(res: ServerResponse, data: { type: string; [field: string]: unknown }) {
	writeEvent(res, data, { event: data.type });
}

function streamAnswer(call: ModelCall, issued: Set<string>) {
	const { res, step, request } = call;
	const model = request.body?.model ?? 'claude-sonnet-4-5';
	const blocks = contentBlocks(step, issued);
	startEventStream(res, anthropicHeaders());
	emit(res, { type: 'message_start', message: messageObject(step, model, [], true) });
	const fail = () => {
		emit(res, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
		res.end();
	};
	for (const [index, block] of blocks.entries()) {
		const delta = (delta: unknown) => emit(res, { type: 'content_block_delta', index, delta });
		if (block.type === 'thinking') {
			emit(res, {
				type: 'content_block_start',
				index,
				content_block: { type: 'thinking', thinking: '', signature: '' }
			});
			if (index === 0) emit(res, { type: 'ping' });
			for (const piece of splitText(block.thinking)) {
				delta({ type: 'thinking_delta', thinking: piece });
			}
			delta({ type: 'signature_delta', signature: block.signature });
		} else if (block.type === 'text') {
			emit(res, {
				type: 'content_block_start',
				index,
				content_block: { type: 'text', text: '' }
			});
			if (index === 0) emit(res, { type: 'ping' });
			const pieces = splitText(block.text);
			if (step.hang) {
				delta({ type: 'text_delta', text: pieces[0] });
				return call.hold();
			}
			for (const piece of pieces) delta({ type: 'text_delta', text: piece });
			if (step.midStreamError === 'reset') return call.reset();
			if (step.midStreamError === 'provider') return fail();
		} else {
			emit(res, {
				type: 'content_block_start',
				index,
				content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} }
			});
			delta({ type: 'input_json_delta', partial_json: '' });
			if (index === 0) emit(res, { type: 'ping' });
			for (const piece of splitArguments(JSON.stringify(block.input))) {
				delta({ type: 'input_json_delta', partial_json: piece });
			}
		}
		emit(res, { type: 'content_block_stop', index });
	}
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return fail();
	emit(res, {
		type: 'message_delta',
		delta: { stop_reason: stopReason(step), stop_sequence: null },
		usage: usageObject(step)
	});
	emit(res, { type: 'message_stop' });
	res.end();
}

function jsonAnswer(call: ModelCall, issued: Set<string>) {
	const { step, request } = call;
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return send(call.res, anthropicError(529));
	const model = request.body?.model ?? 'claude-sonnet-4-5';
	const message = messageObject(step, model, contentBlocks(step, issued), false);
	send(call.res, { status: 200, headers: anthropicHeaders(), body: JSON.stringify(message) });
}

const THINKING_DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

/**
 * The Messages API's own 400s for what Parley must get right: `max_tokens`, the thinking budget
 * and temperature, and thinking blocks replayed with their signatures (a tool loop's last
 * assistant message must start with one).
 */
function validate(request: RecordedRequest, issued: Set<string>): Reply | null {
	const body = request.body;
	const invalid = (message: string) => anthropicError(400, message);
	if (typeof body?.max_tokens !== 'number') return invalid('max_tokens: Field required');
	if (!Array.isArray(body.messages)) return invalid('messages: Field required');
	if (body.thinking?.type === 'enabled') {
		const budget = body.thinking.budget_tokens;
		if (typeof budget !== 'number' || budget < 1024) {
			return invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
		}
		if (body.max_tokens <= budget) {
			return invalid(
				`\`max_tokens\` must be greater than \`thinking.budget_tokens\`. Please consult our documentation at ${THINKING_DOCS}#max-tokens-and-context-window-size`
			);
		}
		if (body.temperature !== undefined && body.temperature !== 1) {
			return invalid(
				`\`temperature\` may only be set to 1 when thinking is enabled. Please consult our documentation at ${THINKING_DOCS}#feature-compatibility`
			);
		}
		const lastIndex = body.messages.length - 1;
		const answersTools = contentOf(body.messages[lastIndex]).some((block: Block) => block?.type === 'tool_result');
		const assistant = body.messages[lastIndex - 1];
		const assistantContent = contentOf(assistant);
		if (
			answersTools &&
			assistant?.role === 'assistant' &&
			assistantContent.some((block: Block) => block?.type === 'tool_use') &&
			!['thinking', 'redacted_thinking'].includes(assistantContent[0]?.type)
		) {
			return invalid(
				`messages.${lastIndex - 1}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${assistantContent[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at ${THINKING_DOCS}`
			);
		}
	}
	for (const [i, message] of body.messages.entries()) {
		for (const [j, block] of contentOf(message).entries()) {
			if (block?.type === 'thinking' && !issued.has(block.signature)) {
				return invalid(`messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`);
			}
		}
	}
	return null;
}

/** A message's content as blocks (a string content is one text block). */
function contentOf(message: Block): Block[] {
	if (Array.isArray(message?.content)) return message.content;
	return typeof message?.content === 'string' ? [{ type: 'text', text: message.content }] : [];
}

/** `POST /v1/messages`, `GET /v1/models`; remembers the thinking signatures it handed out. */
export function anthropicWire(): WireFormat {
	const issued = new Set<string>();
	return {
		basePath: '/v1',
		route(method, segments) {
			if (method === 'POST' && segments.join('/') === 'messages') return 'model';
			if (method === 'GET' && segments.join('/') === 'models') return 'models';
			return null;
		},
		checkAuth: (request, _query, apiKey) => checkAuth(request, apiKey),
		errorReply: anthropicError,
		notFound: () => anthropicError(404),
		modelList(models) {
			return {
				data: models.map((id) => ({
					type: 'model',
					id,
					display_name: id,
					created_at: '2025-09-29T00:00:00Z'
				})),
				has_more: false,
				first_id: models[0] ?? null,
				last_id: models.at(-1) ?? null
			};
		},
		validate: (request) => validate(request, issued),
		answer(call) {
			if (call.request.body?.stream === true) streamAnswer(call, issued);
			else jsonAnswer(call, issued);
		}
	};
}
