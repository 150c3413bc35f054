import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The import boundaries of eslint.config.js, each shown failing on a deliberate violation (with
 * the `$lib` alias and with a relative path) and passing on the imports it allows.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
/** Boundaries only: following every import for cycles is the slow part, and is tested below. */
const eslint = new ESLint({ cwd: root, overrideConfig: { rules: { 'import-x/no-cycle': 'off' } } });
const RULE = '@typescript-eslint/no-restricted-imports';

/** The boundary errors ESLint reports for `code` as if it were the file at `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: join(root, path) });
	const fatal = result.messages.filter((message) => message.fatal);
	expect(fatal, `parse errors in ${path}`).toEqual([]);
	return result.messages.filter((message) => message.ruleId === RULE && message.severity === 2).map((message) => message.message);
}

const use = (specifier: string, names = '{ x }') => `import ${names} from '${specifier}';\nexport const y = x;\n`;
const useType = (specifier: string) => `import type { X } from '${specifier}';\nexport type Y = X;\n`;

describe('a protocol folder', () => {
	const file = 'src/lib/server/protocols/openai/boundary-probe.ts';

	it.each(['$lib/server/db', '$lib/server/db/schema', '../../db', '../../db/schema', '../../db/index'])(
		'may not import db/ (%s)',
		async (specifier) => {
			const errors = await boundaryErrors(file, use(specifier));
			expect(errors).toEqual([expect.stringContaining('A protocol does not import db/')]);
			// Not even its types: the rows a protocol sees come from services/ and turns/.
			expect(await boundaryErrors(file, useType(specifier))).toHaveLength(1);
		}
	);

	it.each(['$lib/server/protocols/ui-message/request', '../ui-message/request', '../../protocols/agent-api/x'])(
		'may not import another protocol folder (%s)',
		async (specifier) => {
			const errors = await boundaryErrors(file, use(specifier));
			expect(errors).toEqual([expect.stringContaining('must not import another protocol folder')]);
		}
	);

	it.each([
		'./request',
		'$lib/server/protocols/openai/request',
		'../sse',
		'../history-limits',
		'$lib/server/protocols/sse',
		'../../services/tasks',
		'$lib/server/runtime/events',
		'$lib/server/errors'
	])('may import its own files, the shared protocol files and the rest of the server (%s)', async (specifier) => {
		expect(await boundaryErrors(file, use(specifier))).toEqual([]);
	});

	it('applies to files at the root of protocols/ too', async () => {
		const errors = await boundaryErrors('src/lib/server/protocols/boundary-probe.ts', use('../db'));
		expect(errors).toEqual([expect.stringContaining('A protocol does not import db/')]);
	});
});

describe('the runtime', () => {
	const file = 'src/lib/server/runtime/boundary-probe.ts';

	it.each([
		['$lib/server/protocols/openai/request', 'runtime/ must not import protocols/'],
		['../protocols/sse', 'runtime/ must not import protocols/'],
		['$lib/server/trpc/routers/_app', 'runtime/ must not import tRPC'],
		['../trpc/context', 'runtime/ must not import tRPC'],
		['../../../routes/api/chat/+server', 'runtime/ must not import routes'],
		['../../../../src/routes/api/chat/+server', 'runtime/ must not import routes']
	])('may not import %s', async (specifier, message) => {
		expect(await boundaryErrors(file, use(specifier))).toEqual([expect.stringContaining(message)]);
	});

	it.each(['./events', '$lib/server/db', '../services/tasks', '$lib/server/models/catalog'])('may import %s', async (specifier) => {
		expect(await boundaryErrors(file, use(specifier))).toEqual([]);
	});
});

describe('lucia', () => {
	it.each([
		['src/lib/server/services/boundary-probe.ts', 'lucia'],
		['src/routes/api/boundary/+server.ts', '@lucia-auth/adapter-drizzle'],
		['tests/api/boundary-probe.test.ts', 'lucia'],
		['src/lib/server/protocols/openai/boundary-probe.ts', 'lucia'],
		['src/lib/server/runtime/boundary-probe.ts', 'lucia']
	])('may not be imported outside auth/ (%s)', async (file, specifier) => {
		expect(await boundaryErrors(file, use(specifier))).toEqual([expect.stringContaining('Only src/lib/server/auth/ imports lucia')]);
	});

	it('may be imported in auth/', async () => {
		expect(await boundaryErrors('src/lib/server/auth/boundary-probe.ts', use('lucia'))).toEqual([]);
		expect(await boundaryErrors('src/lib/server/auth/boundary-probe.ts', use('@lucia-auth/adapter-drizzle'))).toEqual([]);
	});
});

describe('client code', () => {
	const svelte = (specifier: string) => `<script lang="ts">\n\timport { x } from '${specifier}';\n</script>\n\n<p>{x}</p>\n`;

	it.each([
		['src/lib/components/chat/BoundaryProbe.svelte', '$lib/server/config'],
		['src/lib/components/chat/BoundaryProbe.svelte', '../../server/config'],
		['src/routes/boundary/+page.svelte', '$lib/server/db'],
		['src/routes/boundary/+page.svelte', '../../lib/server/db']
	])('may not import server modules (%s: %s)', async (file, specifier) => {
		expect(await boundaryErrors(file, svelte(specifier))).toEqual([expect.stringContaining('Client code must not import $lib/server')]);
	});

	it.each([
		['src/lib/components/chat/boundary-probe.svelte.ts', '$lib/server/config'],
		['src/lib/boundary-probe.ts', './server/config'],
		['src/routes/boundary/+page.ts', '$lib/server/db'],
		['src/routes/boundary/+layout.ts', '$lib/server/auth/session'],
		['src/embed/boundary-probe.ts', '../lib/server/config']
	])('may not import server modules from modules (%s: %s)', async (file, specifier) => {
		expect(await boundaryErrors(file, use(specifier))).toEqual([expect.stringContaining('Client code must not import $lib/server')]);
	});

	it('may import the types of server modules (they are erased from the bundle)', async () => {
		expect(await boundaryErrors('src/lib/trpc-probe.ts', useType('$lib/server/trpc/routers/_app'))).toEqual([]);
	});

	it.each([
		'src/routes/boundary/+page.server.ts',
		'src/routes/boundary/+layout.server.ts',
		'src/routes/api/boundary/+server.ts',
		'src/hooks.server.ts',
		'src/lib/server/services/boundary-probe.ts'
	])('is not %s: server files import $lib/server', async (file) => {
		expect(await boundaryErrors(file, use('$lib/server/db'))).toEqual([]);
	});
});

describe('import cycles', () => {
	// Real files: a cycle is found by following imports on disk. The `$lib` alias on one side
	// shows that the resolver reads SvelteKit's paths.
	const folder = mkdtempSync(join(root, 'src/lib/import-cycle-probe-'));
	const alias = `$lib/${basename(folder)}`;
	afterAll(() => rmSync(folder, { recursive: true, force: true }));

	it('fail lint, through the $lib alias and through a Svelte component', async () => {
		writeFileSync(join(folder, 'a.ts'), `import { b } from '${alias}/b';\nexport const a = () => b;\n`);
		writeFileSync(join(folder, 'b.ts'), `import { a } from './a';\nexport const b = 1;\nexport const c = () => a;\n`);
		writeFileSync(
			join(folder, 'View.svelte'),
			`<script lang="ts">\n\timport { d } from './d';\n\tconst shown: number = d();\n</script>\n\n<p>{shown}</p>\n`
		);
		writeFileSync(join(folder, 'd.ts'), `import View from './View.svelte';\nexport const d = (): number => (View ? 1 : 0);\n`);
		writeFileSync(join(folder, 'e.ts'), `import { b } from './b';\nexport const e = b;\n`);

		const results = await new ESLint({ cwd: root }).lintFiles([folder]);
		const cycles = Object.fromEntries(
			results.map((result) => [
				basename(result.filePath),
				result.messages.filter((message) => message.ruleId === 'import-x/no-cycle').length
			])
		);
		expect(cycles).toMatchObject({ 'a.ts': 1, 'b.ts': 1, 'View.svelte': 1, 'e.ts': 0 });
	});
});
