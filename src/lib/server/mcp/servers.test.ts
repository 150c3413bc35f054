import { describe, expect, it } from 'vitest';
import { safeToolName, storedInputSchema, uniqueToolName } from './servers';

describe('MCP tool names', () => {
	it('keeps a free name, prefixes a clash with the server name, then numbers it', () => {
		expect(uniqueToolName('docs', 'search', new Set(['other']))).toBe('search');
		expect(uniqueToolName('docs', 'search', new Set(['search']))).toBe('docs_search');
		expect(uniqueToolName('docs', 'search', new Set(['search', 'docs_search']))).toBe('docs_search_2');
	});

	it('makes names models accept', () => {
		expect(safeToolName('files/read.v2')).toBe('files_read_v2');
		expect(safeToolName('...')).toBe('tool');
		expect(safeToolName('x'.repeat(80))).toHaveLength(64);
	});

	it('stores object schemas without $schema', () => {
		expect(storedInputSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { a: {} } })).toEqual({
			type: 'object',
			properties: { a: {} }
		});
		expect(storedInputSchema({ type: 'string' })).toEqual({ type: 'object', properties: {} });
	});
});
