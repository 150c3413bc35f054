import { describe, expect, it } from 'vitest';
import { isObject } from './is-object';

describe('isObject', () => {
	it('accepts plain objects', () => {
		expect(isObject({})).toBe(true);
		expect(isObject({ a: 1 })).toBe(true);
		expect(isObject(JSON.parse('{"b":[1]}'))).toBe(true);
	});

	it('refuses null, arrays and every other value', () => {
		for (const value of [null, undefined, [], [1], 'text', 1, true]) expect(isObject(value)).toBe(false);
	});
});
