import { APICallError, LoadAPIKeyError, RetryError } from 'ai';

/** Whether an error came from a model provider (its API, its key), not from Parley's own code. */
export function isModelCallError(error: unknown): boolean {
	return RetryError.isInstance(error) || LoadAPIKeyError.isInstance(error) || APICallError.isInstance(error);
}

/**
 * A message about a failed model call that is safe to show and store: it says what kind of
 * failure it was, never the provider's raw text.
 */
export function describeModelError(error: unknown): string {
	const cause = RetryError.isInstance(error) ? error.lastError : error;
	if (LoadAPIKeyError.isInstance(cause)) return 'The model provider is not configured with an API key.';
	if (APICallError.isInstance(cause)) {
		const status = cause.statusCode;
		if (status === 401 || status === 403) return 'The model provider rejected the API key.';
		if (status === 404) return 'The model provider does not know this model.';
		if (status === 429) return 'The model provider is rate limiting requests. Try again shortly.';
		if (status !== undefined && status >= 500) return 'The model provider had an error. Try again shortly.';
		return 'The model provider refused the request.';
	}
	return 'The model failed while answering. Try again.';
}
