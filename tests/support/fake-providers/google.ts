/**
 * Google's Gemini API: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` (bare `data:`
 * lines ending in `\r\n`, whole parts per chunk, no end marker) and `:generateContent` (one JSON
 * object), with the key in `x-goog-api-key`. Shapes follow vercel/ai
 * `packages/google/src/__fixtures__` (`google-reasoning-gemini3.chunks.txt`,
 * `google-tool-call-gemini3.chunks.txt`, `google-429-retry-info.json`).
 */
import {
	randomAlphanumeric,
	randomBase64,
	send,
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

const STATUSES: Record<number, { status: string; message: string }> = {
	400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
	403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
	404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
	429: {
		status: 'RESOURCE_EXHAUSTED',
		message: 'You exceeded your current quota, please check your plan and billing details.'
	},
	500: { status: 'INTERNAL', message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' },
	503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
	504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' }
};

/** Google's error reply: `{ error: { code, message, status, details? } }`, indented by two spaces. */
export function googleError(
	status: number,
	message?: string,
	retryAfter?: number,
	details?: unknown[]
): Reply {
	const known = STATUSES[status] ?? STATUSES[status >= 500 ? 500 : 400];
	const headers: Record<string, string> = {};
	if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
	const allDetails = [...(details ?? [])];
	if (status === 429 && retryAfter !== undefined) {
		allDetails.push({
			'@type': 'type.googleapis.com/google.rpc.RetryInfo',
			retryDelay: `${retryAfter}s`
		});
	}
	const body = {
		error: {
			code: status,
			message: message ?? known.message,
			status: known.status,
			...(allDetails.length ? { details: allDetails } : {})
		}
	};
	return {
		status,
		headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
		body: JSON.stringify(body, null, 2) + '\n'
	};
}

/**
 * Gemini refuses a wrong key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID), not 401, and a
 * missing key with 403 PERMISSION_DENIED.
 */
function checkAuth(
	request: RecordedRequest,
	query: URLSearchParams,
	apiKey: string | undefined
): Reply | null {
	if (apiKey === undefined) return null;
	const given = request.headers['x-goog-api-key'] ?? query.get('key');
	if (!given) {
		return googleError(
			403,
			"Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."
		);
	}
	if (given === apiKey) return null;
	return googleError(400, 'API key not valid. Please pass a valid API key.', undefined, [
		{
			'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
			reason: 'API_KEY_INVALID',
			domain: 'googleapis.com',
			metadata: { service: 'generativelanguage.googleapis.com' }
		}
	]);
}

/** Gemini counts thoughts apart from candidates; `promptTokenCount` includes cached tokens. */
function usageMetadata(step: FakeStep) {
	const usage = usageOf(step);
	return {
		promptTokenCount: usage.input,
		candidatesTokenCount: usage.output - usage.reasoning,
		totalTokenCount: usage.input + usage.output,
		...(usage.cachedInput ? { cachedContentTokenCount: usage.cachedInput } : {}),
		promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.input }],
		...(usage.reasoning ? { thoughtsTokenCount: usage.reasoning } : {})
	};
}

/** The model name in `models/{model}:method`. */
function modelOf(call: ModelCall): string {
	return (call.segments[1] ?? 'gemini').split(':')[0];
}

function signature(): string {
	return randomBase64(180);
}

function streamAnswer(call: ModelCall) {
	const { res, step } = call;
	const base = { modelVersion: modelOf(call), responseId: randomAlphanumeric(23) };
	const usage = usageMetadata(step);
	const chunk = (parts: unknown[], finishReason?: string) =>
		writeEvent(
			res,
			{
				candidates: [
					{ content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 }
				],
				usageMetadata: usage,
				...base
			},
			{ newline: '\r\n' }
		);
	const fail = () => {
		writeEvent(res, JSON.parse(googleError(503).body), { newline: '\r\n' });
		call.reset();
	};
	startEventStream(res, { 'content-type': 'text/event-stream' });

	const thinking = step.reasoning !== undefined;
	if (thinking) {
		const pieces = splitText(step.reasoning!);
		for (const [index, piece] of pieces.entries()) {
			const last = index === pieces.length - 1;
			chunk([{ text: piece, thought: true, ...(last ? { thoughtSignature: signature() } : {}) }]);
		}
	}
	if (step.text !== undefined) {
		const pieces = splitText(step.text);
		if (step.hang) {
			chunk([{ text: pieces[0] }]);
			return call.hold();
		}
		for (const piece of pieces) chunk([{ text: piece }]);
	}
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return fail();
	const toolCalls = step.toolCalls ?? [];
	if (toolCalls.length) {
		chunk(
			toolCalls.map((toolCall) => ({
				functionCall: { name: toolCall.name, args: toolCall.input },
				...(thinking ? { thoughtSignature: signature() } : {})
			}))
		);
		chunk([{ text: '' }], 'STOP');
	} else {
		chunk([{ text: '', ...(thinking ? { thoughtSignature: signature() } : {}) }], 'STOP');
	}
	res.end();
}

function jsonAnswer(call: ModelCall) {
	const { step } = call;
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return send(call.res, googleError(503));
	const thinking = step.reasoning !== undefined;
	const parts: unknown[] = [];
	if (thinking) parts.push({ text: step.reasoning, thought: true, thoughtSignature: signature() });
	if (step.text !== undefined) parts.push({ text: step.text });
	for (const toolCall of step.toolCalls ?? []) {
		parts.push({
			functionCall: { name: toolCall.name, args: toolCall.input },
			...(thinking ? { thoughtSignature: signature() } : {})
		});
	}
	const response = {
		candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }],
		usageMetadata: usageMetadata(step),
		modelVersion: modelOf(call),
		responseId: randomAlphanumeric(23)
	};
	send(call.res, {
		status: 200,
		headers: { 'content-type': 'application/json; charset=UTF-8' },
		body: JSON.stringify(response, null, 2)
	});
}

/** `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`, `:generateContent`, `GET /v1beta/models`. */
export const google: WireFormat = {
	basePath: '/v1beta',
	route(method, segments) {
		if (method === 'GET' && segments.join('/') === 'models') return 'models';
		if (method !== 'POST' || segments.length !== 2 || segments[0] !== 'models') return null;
		const action = segments[1].split(':')[1];
		return action === 'streamGenerateContent' || action === 'generateContent' ? 'model' : null;
	},
	checkAuth,
	errorReply: (status, message, retryAfter) => googleError(status, message, retryAfter),
	notFound: (request) =>
		googleError(404, `Method not found: ${request.method} ${request.path.split('?')[0]}`),
	modelList(models) {
		return {
			models: models.map((id) => ({
				name: `models/${id}`,
				version: '001',
				displayName: id,
				description: `${id} (fake)`,
				inputTokenLimit: 1_048_576,
				outputTokenLimit: 65_536,
				supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent'],
				temperature: 1,
				topP: 0.95,
				topK: 64,
				maxTemperature: 2,
				thinking: true
			}))
		};
	},
	answer(call) {
		if (call.segments[1]?.endsWith(':streamGenerateContent')) streamAnswer(call);
		else jsonAnswer(call);
	}
};
