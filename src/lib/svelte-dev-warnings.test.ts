import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compile, compileModule } from 'svelte/compiler';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** Every Svelte component and runes module of the app and the embed widget. */
function svelteFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return svelteFiles(path);
		return /\.svelte(\.[jt]s)?$/.test(entry.name) && !/\.test\.[jt]s$/.test(entry.name) ? [path] : [];
	});
}

/** The browser code Svelte makes of a file in development, where its runtime warnings live. */
function devOutput(path: string): string {
	const source = readFileSync(path, 'utf8');
	const options = { dev: true, generate: 'client', filename: path } as const;
	if (path.endsWith('.svelte')) return compile(source, options).js.code;
	// Svelte reads TypeScript in components but not in modules: the types go first.
	const script = path.endsWith('.ts')
		? ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText
		: source;
	return compileModule(script, options).js.code;
}

describe('Svelte code in development', () => {
	const files = svelteFiles(root);

	it('finds the app’s components', () => {
		expect(files.length).toBeGreaterThan(50);
	});

	// Svelte checks an assignment used as a value (`(state.x = value)`, `(list ??= [])`) with
	// `$.assign`, which warns `assignment_value_stale` in the console each time it runs: the value is
	// the right-hand side, not the state proxy that was stored. Such assignments are written as
	// statements instead.
	it('has no assignment used as a value (assignment_value_stale)', () => {
		const offenders = files.filter((path) => /\$\.assign(_async)?\(/.test(devOutput(path))).map((path) => relative(root, path));
		expect(offenders).toEqual([]);
	});
});
