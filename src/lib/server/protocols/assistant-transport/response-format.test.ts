import { describe, expect, it } from 'vitest';
import { readQuery } from './request';
import { responseFormatOf } from './response-format';

describe('responseFormatOf', () => {
	it('answers the data stream by default, and SSE when asked by query or Accept', () => {
		expect(responseFormatOf(undefined, null)).toBe('data-stream');
		expect(responseFormatOf(undefined, '*/*')).toBe('data-stream');
		expect(responseFormatOf(undefined, 'application/json, text/plain, */*')).toBe('data-stream');
		expect(responseFormatOf('assistant-transport', null)).toBe('assistant-transport');
		expect(responseFormatOf(undefined, 'text/event-stream')).toBe('assistant-transport');
		expect(responseFormatOf(undefined, 'text/event-stream;q=0.9, */*;q=0.1')).toBe('assistant-transport');
		expect(responseFormatOf('data-stream', 'text/event-stream')).toBe('data-stream');
	});

	it('refuses an Accept it cannot satisfy (406)', () => {
		expect(() => responseFormatOf(undefined, 'application/json')).toThrow(expect.objectContaining({ code: 'not_acceptable' }));
	});
});

describe('readQuery', () => {
	const url = (query: string) => new URL(`http://localhost/assistant${query}`);

	it('reads the agent and the protocol, ignoring other parameters', () => {
		expect(readQuery(url('?agent=tool-demo&protocol=assistant-transport&x=1'))).toStrictEqual({
			agent: 'tool-demo',
			protocol: 'assistant-transport'
		});
		expect(readQuery(url(''))).toStrictEqual({});
	});

	it('refuses an unknown protocol or an empty agent, naming the parameter', () => {
		expect(() => readQuery(url('?protocol=ws'))).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'protocol' }));
		expect(() => readQuery(url('?agent='))).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'agent' }));
	});
});
