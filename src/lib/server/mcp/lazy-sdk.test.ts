import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The MCP client's files load the SDK only when a server is first reached, never at start-up. */

const folders = ['mcp', 'mcp/oauth', 'tools', 'services', 'cli'].map((folder) => join(import.meta.dirname, '..', folder));

/** The server's source files of the MCP client's folders, tests left out. */
function sources(): string[] {
	return folders.flatMap((folder) =>
		readdirSync(folder)
			.filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
			.map((name) => join(folder, name))
	);
}

describe('the MCP SDK', () => {
	it('is only imported for its types, or with a dynamic import()', () => {
		const staticImports = sources().filter((file) =>
			/^\s*import\s+(?!type\b)[^;]*from\s+['"]@modelcontextprotocol\/sdk/m.test(readFileSync(file, 'utf8'))
		);
		expect(staticImports).toEqual([]);
		const client = readFileSync(join(import.meta.dirname, 'client.ts'), 'utf8');
		expect(client).toContain("import('@modelcontextprotocol/sdk/client/index.js')");
		expect(client).toMatch(/lazyModule\(/);
	});
});
