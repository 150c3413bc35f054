/**
 * OpenAI's Chat Completions API, which OpenAI-compatible servers (vLLM, Ollama, LM Studio,
 * DeepSeek, xAI…) speak too: `POST /v1/chat/completions`, streamed as bare `data:` lines ending
 * with `data: [DONE]`, or one `chat.completion` JSON object. Shapes follow vercel/ai
 * `packages/openai/src/chat/__fixtures__/openai-text.chunks.txt` and, for `reasoning_content`
 * and usage with reasoning and cached tokens, `packages/openai-compatible/src/chat/__fixtures__/xai-tool-call.chunks.txt`.
 */
import {
	nowSeconds,
	randomAlphanumeric,
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

function usageObject(step: FakeStep) {
	const usage = usageOf(step);
	return {
		prompt_tokens: usage.input,
		completion_tokens: usage.output,
		total_tokens: usage.input + usage.output,
		prompt_tokens_details: { cached_tokens: usage.cachedInput, audio_tokens: 0 },
		completion_tokens_details: {
			reasoning_tokens: usage.reasoning,
			audio_tokens: 0,
			accepted_prediction_tokens: 0,
			rejected_prediction_tokens: 0
		}
	};
}

function finishReason(step: FakeStep) {
	return step.toolCalls?.length ? 'tool_calls' : 'stop';
}

function streamAnswer(call: ModelCall) {
	const { res, step, request } = call;
	const includeUsage = request.body?.stream_options?.include_usage === true;
	const base = {
		id: `chatcmpl-${randomAlphanumeric(29)}`,
		object: 'chat.completion.chunk',
		created: nowSeconds(),
		model: request.body?.model ?? 'fake-model',
		service_tier: 'default',
		system_fingerprint: 'fp_de604bd877'
	};
	// With include_usage, every chunk carries `usage: null` until the last one.
	const chunk = (delta: unknown, finish: string | null = null) => {
		writeEvent(res, {
			...base,
			choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
			...(includeUsage ? { usage: null } : {}),
			obfuscation: obfuscation()
		});
	};
	const fail = () => {
		writeEvent(res, {
			error: {
				message:
					'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.',
				type: 'server_error',
				param: null,
				code: null
			}
		});
		res.end();
	};
	startEventStream(res, openaiHeaders());

	const reasoningPieces = step.reasoning !== undefined ? splitText(step.reasoning) : [];
	if (reasoningPieces.length) {
		chunk({ role: 'assistant', content: null, reasoning_content: reasoningPieces[0] });
		for (const piece of reasoningPieces.slice(1)) chunk({ reasoning_content: piece });
	} else {
		chunk({ role: 'assistant', content: '', refusal: null });
	}
	if (step.text !== undefined) {
		const pieces = splitText(step.text);
		if (step.hang) {
			chunk({ content: pieces[0] });
			return call.hold();
		}
		for (const piece of pieces) chunk({ content: piece });
	}
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return fail();
	for (const [index, toolCall] of (step.toolCalls ?? []).entries()) {
		chunk({
			tool_calls: [{ index, id: callId(), type: 'function', function: { name: toolCall.name, arguments: '' } }]
		});
		for (const piece of splitArguments(JSON.stringify(toolCall.input))) {
			chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
		}
	}
	chunk({}, finishReason(step));
	if (includeUsage) {
		writeEvent(res, { ...base, choices: [], usage: usageObject(step), obfuscation: obfuscation() });
	}
	writeEvent(res, '[DONE]');
	res.end();
}

function jsonAnswer(call: ModelCall) {
	const { step, request } = call;
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return send(call.res, openaiError(500));
	const toolCalls = (step.toolCalls ?? []).map((toolCall) => ({
		id: callId(),
		type: 'function',
		function: { name: toolCall.name, arguments: JSON.stringify(toolCall.input) }
	}));
	const completion = {
		id: `chatcmpl-${randomAlphanumeric(29)}`,
		object: 'chat.completion',
		created: nowSeconds(),
		model: request.body?.model ?? 'fake-model',
		choices: [
			{
				index: 0,
				message: {
					role: 'assistant',
					content: step.text ?? null,
					...(step.reasoning !== undefined ? { reasoning_content: step.reasoning } : {}),
					...(toolCalls.length ? { tool_calls: toolCalls } : {}),
					refusal: null,
					annotations: []
				},
				logprobs: null,
				finish_reason: finishReason(step)
			}
		],
		usage: usageObject(step),
		service_tier: 'default',
		system_fingerprint: 'fp_de604bd877'
	};
	send(call.res, { status: 200, headers: openaiHeaders(), body: JSON.stringify(completion) });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Chat Completions' own 400s for tool messages: each `tool` message answers a call of the
 * assistant message before it, and each call of an assistant message is answered.
 */
function validate(request: RecordedRequest): Reply | null {
	const messages: Json[] = Array.isArray(request.body?.messages) ? request.body.messages : [];
	for (const [index, message] of messages.entries()) {
		if (message?.role === 'tool') {
			let owner = index - 1;
			while (owner >= 0 && messages[owner]?.role === 'tool') owner--;
			const calls: Json[] = messages[owner]?.tool_calls ?? [];
			if (!calls.some((call) => call?.id === message.tool_call_id)) {
				return openaiInvalid(
					"Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
					`messages.[${index}].role`
				);
			}
		}
		if (message?.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length) {
			const answered = new Set<string>();
			for (let next = index + 1; messages[next]?.role === 'tool'; next++) {
				answered.add(messages[next].tool_call_id);
			}
			const missing = message.tool_calls.map((call: Json) => call?.id).filter((id: string) => !answered.has(id));
			if (missing.length) {
				return openaiInvalid(
					`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(', ')}`,
					`messages.[${index}].role`
				);
			}
		}
	}
	return null;
}

/** `POST /v1/chat/completions`, `GET /v1/models`. */
export function openaiChatWire(): WireFormat {
	return {
		basePath: '/v1',
		route(method, segments) {
			if (method === 'POST' && segments.join('/') === 'chat/completions') return 'model';
			if (method === 'GET' && segments.join('/') === 'models') return 'models';
			return null;
		},
		checkAuth: (request, _query, apiKey) => openaiAuth(request, apiKey),
		errorReply: openaiError,
		notFound: openaiNotFound,
		modelList: openaiModelList,
		validate,
		answer(call) {
			if (call.request.body?.stream === true) streamAnswer(call);
			else jsonAnswer(call);
		}
	};
}
