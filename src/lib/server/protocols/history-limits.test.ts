import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config';
import { AppError } from '../errors';
import { checkHistory, historyTextLength } from './history-limits';

const limits = { HISTORY_MESSAGE_LIMIT: 3, HISTORY_TEXT_LIMIT: 20 };

/** What `checkHistory` throws, or undefined. */
function refusal(messages: unknown[]): AppError | undefined {
	try {
		checkHistory(messages, limits, 'messages');
		return undefined;
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
}

describe('historyTextLength', () => {
	it('adds up every string at any depth, and nothing else', () => {
		const messages = [
			'abc',
			{ role: 'user', content: [{ type: 'text', text: 'hello' }] },
			{ tool_calls: [{ function: { arguments: '{"a":1}' } }], n: 12345, ok: true, none: null }
		];
		// 'abc' + 'user' + 'text' + 'hello' + '{"a":1}'
		expect(historyTextLength(messages)).toBe(3 + 4 + 4 + 5 + 7);
	});

	it('stops counting once past the bound', () => {
		const many = Array.from({ length: 1000 }, () => 'x'.repeat(10));
		const counted = historyTextLength(many, 25);
		expect(counted).toBeGreaterThan(25);
		expect(counted).toBeLessThanOrEqual(35);
	});

	it('walks deep nesting and long arrays without overflowing the stack', () => {
		let deep: unknown = 'leaf';
		for (let level = 0; level < 100_000; level++) deep = { child: deep };
		expect(historyTextLength([deep])).toBe(4);
		expect(historyTextLength([Array.from({ length: 300_000 }, () => 'y')])).toBe(300_000);
	});
});

describe('checkHistory', () => {
	it('accepts a history at both limits', () => {
		expect(refusal(['a'.repeat(10), 'b'.repeat(5), 'c'.repeat(5)])).toBeUndefined();
		expect(refusal([])).toBeUndefined();
	});

	it('refuses one message too many with 413 naming the limit, the setting and the field', () => {
		const error = refusal(['a', 'b', 'c', 'd']);
		expect(error?.code).toBe('payload_too_large');
		expect(error?.status).toBe(413);
		expect(error?.field).toBe('messages');
		expect(error?.message).toContain('4 messages');
		expect(error?.message).toContain('at most 3');
		expect(error?.message).toContain('HISTORY_MESSAGE_LIMIT');
	});

	it('refuses one character too many with 413 naming the limit and the setting', () => {
		const error = refusal([{ content: 'a'.repeat(15) }, { content: 'b'.repeat(6) }]);
		expect(error?.code).toBe('payload_too_large');
		expect(error?.field).toBe('messages');
		expect(error?.message).toContain('at most 20 are accepted');
		expect(error?.message).toContain('HISTORY_TEXT_LIMIT');
	});
});

describe('the settings', () => {
	it('default to 1000 messages and 1 MB (1048576 characters) of text', () => {
		const config = parseConfig({});
		expect(config.HISTORY_MESSAGE_LIMIT).toBe(1000);
		expect(config.HISTORY_TEXT_LIMIT).toBe(1_048_576);
	});

	it('take whole numbers of at least 1', () => {
		expect(parseConfig({ HISTORY_MESSAGE_LIMIT: '50', HISTORY_TEXT_LIMIT: '2000' })).toMatchObject({
			HISTORY_MESSAGE_LIMIT: 50,
			HISTORY_TEXT_LIMIT: 2000
		});
		expect(() => parseConfig({ HISTORY_MESSAGE_LIMIT: '0' })).toThrow(ConfigError);
		expect(() => parseConfig({ HISTORY_TEXT_LIMIT: 'lots' })).toThrow(/HISTORY_TEXT_LIMIT/);
	});
});
