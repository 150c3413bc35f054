import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../errors';
import { openAIErrorResponse, toOpenAIError } from './errors';

describe('toOpenAIError', () => {
	it('names the parameter of a bad request', () => {
		expect(toOpenAIError(new AppError('invalid_input', 'messages: Too small', { field: 'messages' }))).toStrictEqual({
			error: { message: 'messages: Too small', type: 'invalid_request_error', param: 'messages', code: null }
		});
	});

	it('calls an unknown agent model_not_found', () => {
		expect(toOpenAIError(new AppError('not_found', 'No agent "x" is available to you.', { field: 'model' }))).toStrictEqual({
			error: { message: 'No agent "x" is available to you.', type: 'invalid_request_error', param: 'model', code: 'model_not_found' }
		});
	});

	it('reports a missing key as invalid_api_key', () => {
		expect(toOpenAIError(new AppError('unauthorized', 'Log in or send an API key.')).error).toMatchObject({
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_api_key'
		});
	});

	it('renames the runtime’s fields to OpenAI parameters', () => {
		expect(toOpenAIError(new AppError('invalid_input', 'x', { field: 'output' })).error.param).toBe('messages');
		expect(toOpenAIError(new AppError('conflict', 'x', { field: 'id' })).error.param).toBe('metadata.task_id');
		expect(toOpenAIError(new AppError('invalid_input', 'x', { field: 'body' })).error.param).toBeNull();
		expect(toOpenAIError(new AppError('invalid_input', 'x', { field: 'constructor' })).error.param).toBe('constructor');
	});
});

describe('openAIErrorResponse', () => {
	it('sends the status and retry-after of a rate limit', async () => {
		const response = openAIErrorResponse(new AppError('rate_limited', 'Too many requests.', { retryAfterSeconds: 12 }));
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('12');
		expect(await response.json()).toStrictEqual({
			error: { message: 'Too many requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' }
		});
	});

	it('hides unexpected errors', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const response = openAIErrorResponse(new Error('SQLITE_BUSY at /srv/app.js:12'));
		expect(response.status).toBe(500);
		expect(JSON.stringify(await response.json())).not.toContain('SQLITE');
		expect(logged).toHaveBeenCalledOnce();
		logged.mockRestore();
	});
});
