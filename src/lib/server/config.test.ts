import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

/** Parses `env`, expecting a ConfigError, and returns its message. */
function configErrorOf(env: Record<string, string | undefined>): string {
	let caught: unknown;
	try {
		parseConfig(env);
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(ConfigError);
	expect((caught as ConfigError).name).toBe('ConfigError');
	return (caught as ConfigError).message;
}

describe('parseConfig: defaults', () => {
	it('fills DATABASE_URL and MOCK_TOKEN_DELAY_MS when nothing is set', () => {
		const config = parseConfig({});
		expect(config.DATABASE_URL).toBe('file:data/parley.db');
		expect(config.MOCK_TOKEN_DELAY_MS).toBe(15);
		expect(config.OPENAI_API_KEY).toBeUndefined();
		expect(config.ORIGIN).toBeUndefined();
		expect(config.DEFAULT_MODEL).toBeUndefined();
	});

	it('ignores variables it does not know', () => {
		const config = parseConfig({ PATH: '/usr/bin', HOME: '/root' });
		expect(config).not.toHaveProperty('PATH');
		expect(config.DATABASE_URL).toBe('file:data/parley.db');
	});

	it('keeps valid values as given, coercing numbers', () => {
		const config = parseConfig({
			DATABASE_URL: 'libsql://example.turso.io',
			MOCK_TOKEN_DELAY_MS: '0',
			OPENAI_API_KEY: 'sk-test',
			OPENAI_BASE_URL: 'https://proxy.example.com/v1',
			ORIGIN: 'https://parley.example.com',
			DEFAULT_MODEL: 'openai:gpt-4o-mini',
			NODE_ENV: 'production'
		});
		expect(config.DATABASE_URL).toBe('libsql://example.turso.io');
		expect(config.MOCK_TOKEN_DELAY_MS).toBe(0);
		expect(config.OPENAI_API_KEY).toBe('sk-test');
		expect(config.OPENAI_BASE_URL).toBe('https://proxy.example.com/v1');
		expect(config.ORIGIN).toBe('https://parley.example.com');
		expect(config.DEFAULT_MODEL).toBe('openai:gpt-4o-mini');
		expect(config.NODE_ENV).toBe('production');
	});

	it.each([
		'file:local.db',
		'libsql://db.example.com',
		'http://127.0.0.1:8080',
		'https://db.example.com',
		'ws://localhost:8080',
		'wss://db.example.com'
	])('accepts DATABASE_URL %s', (url) => {
		expect(parseConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
	});
});

describe('parseConfig: empty strings mean unset', () => {
	it('uses the defaults for empty DATABASE_URL and MOCK_TOKEN_DELAY_MS', () => {
		const config = parseConfig({ DATABASE_URL: '', MOCK_TOKEN_DELAY_MS: '' });
		expect(config.DATABASE_URL).toBe('file:data/parley.db');
		expect(config.MOCK_TOKEN_DELAY_MS).toBe(15);
		expect(parseConfig({ MOCK_TOKEN_DELAY_MS: '   ' }).MOCK_TOKEN_DELAY_MS).toBe(15);
	});

	it('treats empty optional variables as missing instead of invalid', () => {
		const config = parseConfig({
			OPENAI_API_KEY: '',
			OPENAI_BASE_URL: '',
			ORIGIN: '',
			DEFAULT_MODEL: '',
			NODE_ENV: '',
			OPENAI_COMPATIBLE_BASE_URL: ''
		});
		expect(config.OPENAI_API_KEY).toBeUndefined();
		expect(config.OPENAI_BASE_URL).toBeUndefined();
		expect(config.ORIGIN).toBeUndefined();
		expect(config.DEFAULT_MODEL).toBeUndefined();
		expect(config.NODE_ENV).toBeUndefined();
		expect(config.OPENAI_COMPATIBLE_BASE_URL).toBeUndefined();
	});
});

describe('parseConfig: invalid values', () => {
	it.each([
		['OPENAI_BASE_URL', 'not a url'],
		['ORIGIN', 'not a url'],
		['OPENAI_COMPATIBLE_BASE_URL', 'localhost without scheme'],
		['DATABASE_URL', 'postgres://x'],
		['MOCK_TOKEN_DELAY_MS', 'abc'],
		['MOCK_TOKEN_DELAY_MS', '-1'],
		['MOCK_TOKEN_DELAY_MS', '1.5'],
		['MOCK_TOKEN_DELAY_MS', '0x10'],
		['DEFAULT_MODEL', 'gpt4'],
		['NODE_ENV', 'staging'],
		['SECRET_KEY', 'too short'],
		['MCP_SECRET', 'too short'],
		['MCP_STDIO', 'yes'],
		['MCP_TOOL_TIMEOUT_MS', '5']
	])('%s=%s throws a ConfigError naming the variable', (name, value) => {
		const message = configErrorOf({ [name]: value });
		expect(message).toContain(`${name}:`);
	});

	it('names every bad variable at once, and not the good ones', () => {
		const message = configErrorOf({
			OPENAI_BASE_URL: 'not a url',
			MOCK_TOKEN_DELAY_MS: 'abc',
			OPENAI_API_KEY: 'sk-fine'
		});
		expect(message).toContain('OPENAI_BASE_URL');
		expect(message).toContain('MOCK_TOKEN_DELAY_MS');
		expect(message).not.toContain('OPENAI_API_KEY');
	});

	it('explains what a DEFAULT_MODEL should look like', () => {
		expect(configErrorOf({ DEFAULT_MODEL: 'gpt4' })).toMatch(/provider:model/);
	});
});
