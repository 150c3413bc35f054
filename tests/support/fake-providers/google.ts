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

/**
 * Gemini counts thoughts apart from candidates; `promptTokenCount` includes cached tokens. In a
 * stream every chunk carries the counts so far, so `done` (0…1) scales the thoughts and
 * candidates generated up to that chunk: the last chunk's counts are the call's.
 */
function usageMetadata(step: FakeStep, done = { thoughts: 1, candidates: 1 }) {
	const usage = usageOf(step);
	const thoughts = Math.round(usage.reasoning * done.thoughts);
	const candidates = Math.round((usage.output - usage.reasoning) * done.candidates);
	return {
		promptTokenCount: usage.input,
		candidatesTokenCount: candidates,
		totalTokenCount: usage.input + thoughts + candidates,
		...(usage.cachedInput ? { cachedContentTokenCount: usage.cachedInput } : {}),
		promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.input }],
		...(thoughts ? { thoughtsTokenCount: thoughts } : {})
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
	const thinking = step.reasoning !== undefined;
	const thoughtPieces = thinking ? splitText(step.reasoning!) : [];
	const textPieces = step.text !== undefined ? splitText(step.text) : [];
	const toolCalls = step.toolCalls ?? [];
	// Chunks that carry candidates: the text pieces, the function calls, the closing chunk.
	const candidateChunks = textPieces.length + (toolCalls.length ? 1 : 0) + 1;
	let thoughtsSent = 0;
	let candidatesSent = 0;
	const chunk = (parts: unknown[], finishReason?: string) => {
		const usage = usageMetadata(step, {
			thoughts: thoughtPieces.length ? thoughtsSent / thoughtPieces.length : 1,
			candidates: candidatesSent / candidateChunks
		});
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
	};
	const fail = () => {
		writeEvent(res, JSON.parse(googleError(503).body), { newline: '\r\n' });
		call.reset();
	};
	startEventStream(res, { 'content-type': 'text/event-stream' });

	for (const [index, piece] of thoughtPieces.entries()) {
		const last = index === thoughtPieces.length - 1;
		thoughtsSent++;
		chunk([{ text: piece, thought: true, ...(last ? { thoughtSignature: signature() } : {}) }]);
	}
	if (step.hang) {
		if (textPieces.length) {
			candidatesSent++;
			chunk([{ text: textPieces[0] }]);
		}
		return call.hold();
	}
	for (const piece of textPieces) {
		candidatesSent++;
		chunk([{ text: piece }]);
	}
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return fail();
	if (toolCalls.length) {
		candidatesSent++;
		chunk(
			toolCalls.map((toolCall) => ({
				functionCall: { name: toolCall.name, args: toolCall.input },
				...(thinking ? { thoughtSignature: signature() } : {})
			}))
		);
	}
	candidatesSent++;
	const closing = { text: '', ...(thinking && !toolCalls.length ? { thoughtSignature: signature() } : {}) };
	chunk([closing], 'STOP');
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
	errorReply: (status, message, retryAfter, model) =>
		googleError(
			status,
			message ??
				(status === 404 && model
					? `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`
					: undefined),
			retryAfter
		),
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
