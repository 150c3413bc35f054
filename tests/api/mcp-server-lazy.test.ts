import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The MCP SDK stays out of the server's start-up: in the build, the chunks that import it are
 * reached only through a dynamic `import()` (the `/mcp` endpoint loads them on its first request).
 */

const serverDir = resolve(import.meta.dirname, '../../build/server');

/** Every JavaScript file of the built server, with its text. */
function builtFiles(dir: string): { path: string; text: string }[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return builtFiles(path);
		return entry.name.endsWith('.js') ? [{ path, text: readFileSync(path, 'utf8') }] : [];
	});
}

/** The specifiers a file imports statically (`import … from '…'`, `import '…'`). */
function staticImports(text: string): string[] {
	return [...text.matchAll(/^\s*(?:import|export)\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((match) => match[1]);
}

describe('the MCP SDK at start-up', () => {
	const files = builtFiles(serverDir);

	it('is imported by some chunk of the build', () => {
		expect(files.some((file) => staticImports(file.text).some((specifier) => specifier.startsWith('@modelcontextprotocol/sdk')))).toBe(
			true
		);
	});

	it('is reached only through dynamic imports', () => {
		// The chunks that import the SDK, then every chunk that imports one of those statically, and so on.
		const loadsSdk = new Set(
			files
				.filter((file) => staticImports(file.text).some((specifier) => specifier.startsWith('@modelcontextprotocol/sdk')))
				.map((file) => file.path)
		);
		for (let grown = true; grown;) {
			grown = false;
			for (const file of files) {
				if (loadsSdk.has(file.path)) continue;
				if (staticImports(file.text).some((specifier) => [...loadsSdk].some((path) => basename(path) === basename(specifier)))) {
					loadsSdk.add(file.path);
					grown = true;
				}
			}
		}
		const relative = [...loadsSdk].map((path) => path.slice(serverDir.length + 1));
		// Neither the server's entry, its manifest, the hooks nor any endpoint or page loads it statically.
		expect(relative.filter((path) => !path.startsWith('chunks/chunks/'))).toEqual([]);
		// And the /mcp endpoint asks for it with import().
		const endpoint = files.find((file) => file.path.includes('endpoints/mcp/'));
		const dynamic = [...(endpoint?.text ?? '').matchAll(/import\(['"]([^'"]+)['"]\)/g)].map((match) => basename(match[1]));
		expect(dynamic.some((name) => [...loadsSdk].some((path) => basename(path) === name))).toBe(true);
	});
});
