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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const STATUSES: Record<number, { status: string; message: string }> = {
	400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
	403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
	404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
	429: {
		status: 'RESOURCE_EXHAUSTED',
		message: 'You exceeded your current quota, please check your plan and billing details.'
	},
	500: {
		status: 'INTERNAL',
		message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'
	},
	503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
	504: { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' }
};

/** Google's error reply: `{ error: { code, message, status, details? } }`, indented by two spaces. */
export function googleError(status: number, message?: string, retryAfter?: number, details?: unknown[]): Reply {
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
function checkAuth(request: RecordedRequest, query: URLSearchParams, apiKey: string | undefined): Reply | null {
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

/** Hands out thought signatures, remembering each in `issued`. */
function signer(issued: Set<string>): () => string {
	return () => {
		const signature = randomBase64(180);
		issued.add(signature);
		return signature;
	};
}

function streamAnswer(call: ModelCall, sign: () => string) {
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
				candidates: [{ content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 }],
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
		chunk([{ text: piece, thought: true, ...(last ? { thoughtSignature: sign() } : {}) }]);
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
				...(thinking ? { thoughtSignature: sign() } : {})
			}))
		);
	}
	candidatesSent++;
	const closing = { text: '', ...(thinking && !toolCalls.length ? { thoughtSignature: sign() } : {}) };
	chunk([closing], 'STOP');
	res.end();
}

function jsonAnswer(call: ModelCall, sign: () => string) {
	const { step } = call;
	if (step.hang) return call.hold();
	if (step.midStreamError === 'reset') return call.reset();
	if (step.midStreamError === 'provider') return send(call.res, googleError(503));
	const thinking = step.reasoning !== undefined;
	const parts: unknown[] = [];
	if (thinking) parts.push({ text: step.reasoning, thought: true, thoughtSignature: sign() });
	if (step.text !== undefined) parts.push({ text: step.text });
	for (const toolCall of step.toolCalls ?? []) {
		parts.push({
			functionCall: { name: toolCall.name, args: toolCall.input },
			...(thinking ? { thoughtSignature: sign() } : {})
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

/** What Gemini's thought-signature checks let through without a signature it issued. */
const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/**
 * Gemini's own 400s for replayed thought signatures: a signature it did not issue is
 * "Corrupted", and Gemini 3 refuses a current-turn model message whose first function call has
 * none (the AI SDK sends the documented skip value when it has lost one).
 */
function validate(request: RecordedRequest, segments: string[], issued: Set<string>): Reply | null {
	const contents: Json[] = Array.isArray(request.body?.contents) ? request.body.contents : [];
	for (const content of contents) {
		for (const part of partsOf(content)) {
			const signature = part?.thoughtSignature;
			if (signature !== undefined && signature !== SKIP_SIGNATURE && !issued.has(signature)) {
				return googleError(400, 'Corrupted thought signature.');
			}
		}
	}
	const model = (segments[1] ?? '').split(':')[0];
	if (!model.startsWith('gemini-3')) return null;
	// The current turn starts at the last user message that is not only function responses.
	let turnStart = 0;
	contents.forEach((content, index) => {
		const parts = partsOf(content);
		if (content?.role === 'user' && parts.some((part) => !part?.functionResponse)) turnStart = index;
	});
	for (let index = turnStart; index < contents.length; index++) {
		if (contents[index]?.role !== 'model') continue;
		const firstCall = partsOf(contents[index]).find((part) => part?.functionCall);
		if (firstCall && !firstCall.thoughtSignature) {
			return googleError(
				400,
				`Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${firstCall.functionCall.name}\` , position ${index + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`
			);
		}
	}
	return null;
}

function partsOf(content: Json): Json[] {
	return Array.isArray(content?.parts) ? content.parts : [];
}

/**
 * `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`, `:generateContent`,
 * `GET /v1beta/models`; remembers the thought signatures it handed out.
 */
export function googleWire(): WireFormat {
	const issued = new Set<string>();
	const sign = signer(issued);
	return {
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
		notFound: (request) => googleError(404, `Method not found: ${request.method} ${request.path.split('?')[0]}`),
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
		validate: (request, segments) => validate(request, segments, issued),
		answer(call) {
			if (call.segments[1]?.endsWith(':streamGenerateContent')) streamAnswer(call, sign);
			else jsonAnswer(call, sign);
		}
	};
}
