import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { responsesErrorResponse, toResponsesError } from './errors';

describe('toResponsesError', () => {
	it('names an unknown agent model_not_found, with model as the parameter', () => {
		expect(toResponsesError(new AppError('not_found', 'No agent "gpt-4o".', { field: 'agentId' }))).toStrictEqual({
			error: { message: 'No agent "gpt-4o".', type: 'invalid_request_error', param: 'model', code: 'model_not_found' }
		});
	});

	it('names the input for the runtime’s tool call fields, previous_response_id for the task', () => {
		expect(toResponsesError(new AppError('invalid_input', 'No such call.', { field: 'toolCallId' })).error.param).toBe('input');
		expect(toResponsesError(new AppError('not_found', 'No such response.', { field: 'taskId' })).error).toMatchObject({
			param: 'previous_response_id',
			code: 'not_found'
		});
	});

	it('keeps a request field as the parameter, and none for a malformed body', () => {
		expect(toResponsesError(new AppError('invalid_input', 'Bad.', { field: 'input.3.call_id' })).error.param).toBe('input.3.call_id');
		expect(toResponsesError(new AppError('invalid_input', 'Bad JSON.', { field: 'body' })).error.param).toBeNull();
	});

	it.each([
		['payload_too_large', 413, 'invalid_request_error', 'request_too_large'],
		['unprocessable', 422, 'invalid_request_error', 'invalid_context'],
		['unauthorized', 401, 'invalid_request_error', 'invalid_api_key'],
		['rate_limited', 429, 'requests', 'rate_limit_exceeded']
	] as const)('answers %s with %i, type %s and code %s', async (code, status, type, errorCode) => {
		const response = responsesErrorResponse(new AppError(code, 'No.', { retryAfterSeconds: code === 'rate_limited' ? 7 : undefined }));
		expect(response.status).toBe(status);
		expect(await response.json()).toMatchObject({ error: { type, code: errorCode } });
		expect(response.headers.get('retry-after')).toBe(code === 'rate_limited' ? '7' : null);
	});
});
