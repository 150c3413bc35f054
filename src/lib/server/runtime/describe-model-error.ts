import { APICallError, LoadAPIKeyError, RetryError } from 'ai';
import { isOfflineModel, providerLabel } from '../models/catalog';

/** Whether an error came from a model provider (its API, its key, its stream), not from Parley's own code. */
export function isModelCallError(error: unknown): boolean {
	return (
		RetryError.isInstance(error) ||
		LoadAPIKeyError.isInstance(error) ||
		APICallError.isInstance(error) ||
		streamErrorCode(error) !== undefined ||
		connectionErrorCode(error) !== undefined
	);
}

/** A string field of an object, if it has one. */
function stringField(value: unknown, key: string): string | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const field = (value as Record<string, unknown>)[key];
	return typeof field === 'string' && field.length > 0 ? field : undefined;
}

/**
 * The provider's own name for an error: Anthropic's `error.type` (`overloaded_error`), OpenAI's
 * `error.code` or `type` (`rate_limit_exceeded`), Google's `error.status` (`RESOURCE_EXHAUSTED`).
 * Only a short identifier is taken, never the provider's free text, which may echo a key or a prompt.
 */
function providerErrorCode(body: unknown): string | undefined {
	const inner = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : body;
	const code = stringField(inner, 'code') ?? stringField(inner, 'type') ?? stringField(inner, 'status');
	return code && /^[A-Za-z0-9_.-]{1,64}$/.test(code) && code !== 'error' ? code : undefined;
}

/** The code of an error a provider sent inside its stream (the AI SDK passes the provider's error object on). */
function streamErrorCode(error: unknown): string | undefined {
	if (error instanceof Error) return undefined;
	return providerErrorCode(error);
}

/** The system code of a lost connection (`ECONNRESET`, or `terminated` when the body stopped mid-way). */
function connectionErrorCode(error: unknown): string | undefined {
	for (let cause = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
		const code = stringField(cause, 'code');
		if (code && /^E[A-Z]+$/.test(code)) return code;
		if (cause instanceof TypeError && (cause.message === 'terminated' || cause.message === 'fetch failed')) {
			const inner = connectionErrorCode(cause.cause);
			return inner ?? cause.message;
		}
	}
	return undefined;
}

/** "Try again in N s." from a response's `retry-after` header (seconds), else "Try again shortly." */
function retryAdvice(headers: Record<string, string> | undefined): string {
	const seconds = Number(headers?.['retry-after']);
	return Number.isFinite(seconds) && seconds > 0 ? `Try again in ${Math.ceil(seconds)} s.` : 'Try again shortly.';
}

/**
 * A message about a failed model call that is safe to show and store: it names the provider
 * (from the model id) and the cause — the HTTP status and the provider's error code, a lost
 * connection — never the provider's raw text.
 */
export function describeModelError(error: unknown, modelId?: string): string {
	const provider = (modelId && !isOfflineModel(modelId) && providerLabel(modelId)) || 'The model provider';
	const cause = RetryError.isInstance(error) ? error.lastError : error;
	if (LoadAPIKeyError.isInstance(cause)) return `${provider} is not configured with an API key.`;
	if (APICallError.isInstance(cause)) {
		const status = cause.statusCode;
		// No answer at all (a refused connection), or one cut off while its body was read: the AI SDK
		// then reports the success status it began with (Gemini's error chunk before a cut connection).
		if (status === undefined || status < 300) {
			const connection = connectionErrorCode(cause.cause);
			if (status !== undefined || connection === 'terminated' || connection === 'ECONNRESET') {
				return `The connection to ${provider} was lost (${connection ?? `HTTP ${status}`}). Try again.`;
			}
			return `${provider} could not be reached${connection ? ` (${connection})` : ''}. Try again shortly.`;
		}
		const code = providerErrorCode(cause.data) ?? providerErrorCode(safeJson(cause.responseBody));
		const detail = [`HTTP ${status}`, code].filter(Boolean).join(', ');
		const why = detail ? ` (${detail})` : '';
		if (status === 401 || status === 403) return `${provider} rejected the API key${why}.`;
		if (status === 404) return `${provider} does not know this model${why}.`;
		if (status === 429) return `${provider} is rate limiting requests${why}. ${retryAdvice(cause.responseHeaders)}`;
		if (status === 529 || code === 'overloaded_error') return `${provider} is overloaded${why}. ${retryAdvice(cause.responseHeaders)}`;
		if (status >= 500) return `${provider} had an error${why}. Try again shortly.`;
		return `${provider} refused the request${why}.`;
	}
	const streamCode = streamErrorCode(cause);
	if (streamCode) {
		if (/overloaded/i.test(streamCode)) return `${provider} is overloaded (${streamCode}) and stopped the answer. Try again shortly.`;
		return `${provider} stopped the answer with an error (${streamCode}). Try again.`;
	}
	const connection = connectionErrorCode(cause);
	if (connection) return `The connection to ${provider} was lost (${connection}). Try again.`;
	return `${provider} failed while answering. Try again.`;
}

/** A JSON body parsed, or undefined. */
function safeJson(text: string | undefined): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
