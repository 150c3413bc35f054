import { APICallError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { AppError } from '../errors';
import { describeFailure, formatChecks, modelToCheck, parseTimeout } from './check-providers';

const apiError = (fields: Partial<ConstructorParameters<typeof APICallError>[0]>) =>
	new APICallError({ message: 'Bad Request', url: 'http://provider/v1/chat/completions', requestBodyValues: {}, ...fields });

describe('describeFailure', () => {
	it('names the HTTP status and the provider’s message', () => {
		expect(describeFailure(apiError({ statusCode: 404, message: 'The model `gpt-9` does not exist' }), 30_000)).toBe(
			'HTTP 404 Not Found: The model `gpt-9` does not exist'
		);
		expect(describeFailure(apiError({ statusCode: 400, message: 'Bad Request' }), 30_000)).toBe('HTTP 400 Bad Request');
	});

	it('looks inside retries, and names timeouts and refused connections', () => {
		const last = apiError({ statusCode: 500, message: 'boom' });
		expect(describeFailure(new RetryError({ message: 'failed', reason: 'maxRetriesExceeded', errors: [last] }), 30_000)).toBe(
			'HTTP 500 Internal Server Error: boom'
		);
		expect(describeFailure(new DOMException('timed out', 'TimeoutError'), 30_000)).toBe('no answer within 30 s');
		const refused = apiError({
			message: 'Cannot connect to API: connect ECONNREFUSED',
			cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' })
		});
		expect(describeFailure(refused, 30_000)).toBe('cannot connect to http://provider/v1/chat/completions: connection refused');
	});

	it('keeps the cause on one short line', () => {
		const long = describeFailure(apiError({ statusCode: 400, message: `line one\nline two ${'x'.repeat(500)}` }), 1000);
		expect(long).not.toContain('\n');
		expect(long.length).toBeLessThan(230);
	});
});

describe('modelToCheck', () => {
	it('takes DEFAULT_MODEL for its provider, else the first model of the menu', () => {
		const config = parseConfig({ OPENAI_API_KEY: 'sk', ANTHROPIC_API_KEY: 'a', DEFAULT_MODEL: 'anthropic:claude-opus-4-1' });
		expect(modelToCheck(config, 'anthropic')).toBe('anthropic:claude-opus-4-1');
		expect(modelToCheck(config, 'openai')).toBe('openai:gpt-4.1-mini');
		expect(modelToCheck(parseConfig({ OPENAI_COMPATIBLE_BASE_URL: 'http://localhost:1/v1' }), 'compatible')).toBeUndefined();
	});
});

describe('formatChecks', () => {
	it('pads the columns and names the failures with their causes', () => {
		const table = formatChecks([
			{
				provider: 'openai',
				model: 'openai:gpt-4.1-mini',
				text: { state: 'ok' },
				tools: { state: 'ok' },
				reasoning: { state: 'none', note: 'none returned' },
				usage: { state: 'ok', note: '9 in, 2 out' },
				notes: []
			},
			{
				provider: 'compatible',
				model: 'compatible:llama3',
				text: { state: 'ok' },
				tools: { state: 'failed', cause: 'HTTP 400 Bad Request: tools are not supported' },
				reasoning: { state: 'failed', cause: 'HTTP 400 Bad Request: tools are not supported' },
				usage: { state: 'none', note: 'not reported' },
				notes: []
			}
		]);
		expect(table.split('\n')).toEqual([
			'Provider           Model                Text  Tools  Reasoning        Usage           Problem',
			'OpenAI             openai:gpt-4.1-mini  ✓     ✓      – none returned  ✓ 9 in, 2 out',
			'OpenAI-compatible  compatible:llama3    ✓     ✗      ✗                – not reported  tools, reasoning: HTTP 400 Bad Request: tools are not supported'
		]);
	});
});

describe('parseTimeout', () => {
	it('takes seconds, 30 by default', () => {
		expect(parseTimeout(undefined)).toBe(30_000);
		expect(parseTimeout('2.5')).toBe(2500);
	});

	it.each(['0', '-1', 'soon', '', '601'])('refuses %j', (value) => {
		expect(() => parseTimeout(value)).toThrow(AppError);
	});
});
