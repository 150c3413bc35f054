import { APICallError, LoadAPIKeyError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { describeModelError, isModelCallError } from './describe-model-error';

function apiError(statusCode: number | undefined, body?: unknown, headers?: Record<string, string>): APICallError {
	return new APICallError({
		message: 'Incorrect API key provided: sk-abc…xyz',
		url: 'https://provider.example/v1',
		requestBodyValues: {},
		statusCode,
		responseHeaders: headers,
		responseBody: body === undefined ? undefined : JSON.stringify(body)
	});
}

describe('describeModelError', () => {
	it('names the provider, the status and the provider’s error code, never its text', () => {
		const message = describeModelError(
			apiError(401, {
				error: { message: 'Incorrect API key provided: sk-abc…xyz', type: 'invalid_request_error', code: 'invalid_api_key' }
			}),
			'openai:gpt-4.1-mini'
		);
		expect(message).toBe('OpenAI rejected the API key (HTTP 401, invalid_api_key).');
		expect(message).not.toContain('sk-');
	});

	it('says when to try again after a 429 with retry-after', () => {
		expect(
			describeModelError(
				apiError(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, { 'retry-after': '17' }),
				'anthropic:claude-sonnet-4-5'
			)
		).toBe('Anthropic is rate limiting requests (HTTP 429, rate_limit_error). Try again in 17 s.');
		expect(describeModelError(apiError(429), 'google:gemini-2.5-flash')).toBe(
			'Google is rate limiting requests (HTTP 429). Try again shortly.'
		);
	});

	it('tells an unknown model, a server error and an overload apart', () => {
		expect(describeModelError(apiError(404, { error: { code: 404, message: 'no', status: 'NOT_FOUND' } }), 'google:gemini-9')).toBe(
			'Google does not know this model (HTTP 404, NOT_FOUND).'
		);
		expect(describeModelError(apiError(500), 'compatible:llama')).toBe('OpenAI-compatible had an error (HTTP 500). Try again shortly.');
		expect(
			describeModelError(
				apiError(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
				'anthropic:claude-haiku-4-5'
			)
		).toBe('Anthropic is overloaded (HTTP 529, overloaded_error). Try again shortly.');
	});

	it('reads the last attempt of a retried call', () => {
		const error = new RetryError({
			message: 'failed after 2 attempts',
			reason: 'maxRetriesExceeded',
			errors: [apiError(503), apiError(503)]
		});
		expect(describeModelError(error, 'openai:gpt-4.1')).toBe('OpenAI had an error (HTTP 503). Try again shortly.');
		expect(isModelCallError(error)).toBe(true);
	});

	it('names an error the provider sent inside its stream', () => {
		const overloaded = { type: 'overloaded_error', message: 'Overloaded' };
		expect(describeModelError(overloaded, 'anthropic:claude-sonnet-4-5')).toBe(
			'Anthropic is overloaded (overloaded_error) and stopped the answer. Try again shortly.'
		);
		expect(isModelCallError(overloaded)).toBe(true);
		expect(describeModelError({ message: 'boom', code: 'server_error' }, 'openai:gpt-4.1')).toBe(
			'OpenAI stopped the answer with an error (server_error). Try again.'
		);
	});

	it('names a lost connection', () => {
		const reset = new TypeError('terminated', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
		expect(describeModelError(reset, 'google:gemini-2.5-flash')).toBe('The connection to Google was lost (ECONNRESET). Try again.');
		expect(isModelCallError(reset)).toBe(true);
		// As the AI SDK reports a body cut off mid-way, and a server that refuses connections.
		const cut = new APICallError({
			message: 'Cannot connect',
			url: 'https://api.example/v1',
			requestBodyValues: {},
			cause: new TypeError('terminated')
		});
		expect(describeModelError(cut, 'openai:gpt-4.1')).toBe('The connection to OpenAI was lost (terminated). Try again.');
		const refused = new APICallError({
			message: 'Cannot connect',
			url: 'https://api.example/v1',
			requestBodyValues: {},
			cause: new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })
		});
		expect(describeModelError(refused, 'anthropic:claude-haiku-4-5')).toBe(
			'Anthropic could not be reached (ECONNREFUSED). Try again shortly.'
		);
	});

	it('names a stream cut after the answer began a lost connection, not a refusal', () => {
		// What the AI SDK throws when the body of a 200 stops mid-way.
		const cutStream = (cause: Error) =>
			new APICallError({
				message: 'Failed to process successful response',
				url: 'https://provider.example/v1/messages',
				requestBodyValues: {},
				statusCode: 200,
				cause
			});
		const terminated = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
		expect(describeModelError(cutStream(terminated), 'anthropic:claude-sonnet-4-5')).toBe(
			'The connection to Anthropic was lost (terminated). Try again.'
		);
		const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
		expect(describeModelError(cutStream(reset), 'openai:gpt-4.1')).toBe('The connection to OpenAI was lost (ECONNRESET). Try again.');
	});

	it('says a key is missing, and falls back to a general message', () => {
		expect(describeModelError(new LoadAPIKeyError({ message: 'no key' }), 'anthropic:claude-haiku-4-5')).toBe(
			'Anthropic is not configured with an API key.'
		);
		expect(describeModelError(new Error('what'), 'openai:gpt-4.1')).toBe('OpenAI failed while answering. Try again.');
		expect(describeModelError(new Error('what'), 'mock:offline')).toBe('The model provider failed while answering. Try again.');
		expect(isModelCallError(new Error('what'))).toBe(false);
	});
});
