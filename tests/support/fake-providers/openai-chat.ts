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
	type WireFormat
} from './core';
import {
	callId,
	obfuscation,
	openaiAuth,
	openaiError,
	openaiHeaders,
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
			tool_calls: [
				{ index, id: callId(), type: 'function', function: { name: toolCall.name, arguments: '' } }
			]
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

/** `POST /v1/chat/completions`, `GET /v1/models`. */
export const openaiChat: WireFormat = {
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
	answer(call) {
		if (call.request.body?.stream === true) streamAnswer(call);
		else jsonAnswer(call);
	}
};
