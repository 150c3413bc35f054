import { describe, expect, it } from 'vitest';
import { tryJson } from './try-json';

describe('tryJson', () => {
	it('parses JSON and gives undefined for anything else', () => {
		expect(tryJson('{"a":[1,null]}')).toEqual({ a: [1, null] });
		expect(tryJson('"text"')).toBe('text');
		expect(tryJson('[DONE]')).toBeUndefined();
		expect(tryJson('')).toBeUndefined();
	});
});
