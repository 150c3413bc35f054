import { describe, expect, it } from 'vitest';
import { AppError } from '$lib/server/errors';
import { parseArgLines, parseHeaderLines, parseHostList } from './headers.server';

describe('the MCP server form', () => {
	it('reads one "Name: value" header a line, skipping blank lines', () => {
		expect(parseHeaderLines('Authorization: Bearer abc\n\n  X-Team :  blue  \r\n')).toEqual({
			Authorization: 'Bearer abc',
			'X-Team': 'blue'
		});
		expect(parseHeaderLines('')).toEqual({});
	});

	it('refuses a line that is not a header, naming it', () => {
		for (const text of ['Authorization Bearer abc', 'Bad Name: x', 'Empty:']) {
			const error = (() => {
				try {
					parseHeaderLines(`X-Ok: 1\n${text}`);
				} catch (thrown) {
					return thrown;
				}
			})();
			expect(error).toBeInstanceOf(AppError);
			expect(error).toMatchObject({ field: 'headers', message: expect.stringContaining('Line 2') });
		}
		expect(() => parseHeaderLines('A: 1\n'.repeat(60))).toThrow(/At most 50/);
	});

	it('reads hosts separated by commas, spaces or lines', () => {
		expect(parseHostList(' 127.0.0.1, mcp.internal\nlocalhost ')).toEqual(['127.0.0.1', 'mcp.internal', 'localhost']);
		expect(parseHostList('')).toEqual([]);
	});

	it('reads one argument a line, as typed, with no shell quoting', () => {
		expect(parseArgLines('server.js\n\n--name\r\nmy docs\n$(whoami)\n')).toEqual(['server.js', '--name', 'my docs', '$(whoami)']);
		expect(parseArgLines('')).toEqual([]);
		expect(() => parseArgLines('x\n'.repeat(101))).toThrow(AppError);
	});
});
