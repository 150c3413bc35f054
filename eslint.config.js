import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const root = fileURLToPath(new URL('.', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Import boundaries. Each rule is a set of `no-restricted-imports` patterns; a file gets every set
// that applies to its folder in ONE block (a later block replaces a rule's options, it does not
// add to them). Patterns are regular expressions on the import specifier, so that they catch both
// the `$lib/...` alias and relative paths.
// ---------------------------------------------------------------------------------------------

/** lucia is in maintenance upstream: only src/lib/server/auth/ may import it. */
const LUCIA = {
	regex: '^(lucia|@lucia-auth/.*)$',
	caseSensitive: true,
	message: 'Only src/lib/server/auth/ imports lucia; use what auth/ exports.'
};

/** Code that runs in the browser must not import server modules. */
const SERVER_FROM_CLIENT = {
	regex: '^(\\$lib/|(\\.\\.?/)+(lib/)?)server(/|$)',
	caseSensitive: true,
	// A type import is erased at build: the browser bundle never contains it (tRPC's AppRouter).
	allowTypeImports: true,
	message: 'Client code must not import $lib/server: move the shared part out of server/.'
};

/** Protocol folders translate requests and chunks; the database is reached through services/ and turns/. */
const DB_FROM_PROTOCOL = {
	regex: '^(\\$lib/server/|(\\.\\./)+)db(/|$)',
	caseSensitive: true,
	message: 'A protocol does not import db/: go through services/ or turns/.'
};

/** The runtime knows nothing of the faces that call it. */
const RUNTIME_OUTWARD = [
	{
		regex: '^(\\$lib/server/|(\\.\\./)+)protocols(/|$)',
		caseSensitive: true,
		message: 'runtime/ must not import protocols/.'
	},
	{
		regex: '^(\\$lib/server/|(\\.\\./)+)trpc(/|$)',
		caseSensitive: true,
		message: 'runtime/ must not import tRPC.'
	},
	{
		regex: '^(\\.\\./)+(src/)?routes(/|$)',
		caseSensitive: true,
		message: 'runtime/ must not import routes.'
	}
];

const protocolsDir = 'src/lib/server/protocols';
/** One folder per protocol; files at the root of protocols/ (sse.ts, history-limits.ts) are shared. */
const protocolFolders = readdirSync(new URL(`./${protocolsDir}/`, import.meta.url), {
	withFileTypes: true
})
	.filter((entry) => entry.isDirectory())
	.map((entry) => entry.name);

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** protocols/<folder> may use its own files and the shared root files, not another protocol's. */
function otherProtocols(folder) {
	const others = protocolFolders.filter((name) => name !== folder).map(escapeRegex);
	if (others.length === 0) return [];
	return [
		{
			regex: `^(\\$lib/server/protocols/|(\\.\\./)+(protocols/)?)(${others.join('|')})(/|$)`,
			caseSensitive: true,
			message: `protocols/${folder} must not import another protocol folder (shared code lives at the root of protocols/ or in services/).`
		}
	];
}

/**
 * A test that crosses the runtime's boundary on purpose: it reads a run's events as the chat does,
 * through the UI-message mapper, to check the answer a user would see.
 */
const RUNTIME_EXCEPTIONS = ['src/lib/server/runtime/start-turn.test.ts'];

const restrict = (...patterns) => ['error', { patterns: patterns.flat() }];
const RULE = '@typescript-eslint/no-restricted-imports';

/** Files that run only on the server; everything else under src/ may reach the browser. */
const SERVER_FILES = [
	'src/lib/server/**',
	'src/node/**',
	'src/hooks.server.ts',
	'src/**/+server.ts',
	'src/**/*.server.ts',
	'src/**/*.server.js',
	'src/**/*.test.ts',
	'src/agents/**'
];

const boundaries = [
	{
		name: 'parley/boundaries/lucia',
		files: ['**/*.{js,mjs,cjs,ts,mts,svelte}'],
		rules: { [RULE]: restrict(LUCIA) }
	},
	{
		name: 'parley/boundaries/client',
		files: ['src/**/*.{js,ts,svelte}'],
		ignores: SERVER_FILES,
		rules: { [RULE]: restrict(LUCIA, SERVER_FROM_CLIENT) }
	},
	{
		name: 'parley/boundaries/runtime',
		files: ['src/lib/server/runtime/**'],
		rules: { [RULE]: restrict(LUCIA, RUNTIME_OUTWARD) }
	},
	{
		name: 'parley/boundaries/runtime-exceptions',
		files: RUNTIME_EXCEPTIONS,
		rules: { [RULE]: restrict(LUCIA) }
	},
	{
		name: 'parley/boundaries/protocols-root',
		files: [`${protocolsDir}/*.ts`],
		rules: { [RULE]: restrict(LUCIA, DB_FROM_PROTOCOL) }
	},
	...protocolFolders.map((folder) => ({
		name: `parley/boundaries/protocols/${folder}`,
		files: [`${protocolsDir}/${folder}/**`],
		rules: { [RULE]: restrict(LUCIA, DB_FROM_PROTOCOL, otherProtocols(folder)) }
	})),
	{
		name: 'parley/boundaries/auth',
		files: ['src/lib/server/auth/**'],
		rules: { [RULE]: 'off' }
	}
];

export default ts.config(
	{
		name: 'parley/ignores',
		ignores: ['build/', '.svelte-kit/', '.vercel/', 'package/', 'data/', 'test-results/', 'playwright-report/', 'static/', 'drizzle/']
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		name: 'parley/globals',
		languageOptions: {
			globals: { ...globals.browser, ...globals.node }
		}
	},
	{
		name: 'parley/svelte',
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: false,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser
			}
		}
	},
	{
		name: 'parley/rules',
		rules: {
			// TypeScript checks these (svelte-check); ESLint's copy does not know the types.
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{
					argsIgnorePattern: '^_',
					varsIgnorePattern: '^_',
					caughtErrorsIgnorePattern: '^_',
					ignoreRestSiblings: true
				}
			],
			// The import boundaries below use typescript-eslint's version (it can allow type imports).
			'no-restricted-imports': 'off',
			// Control characters in these patterns are what they strip or reject (file names, model ids).
			'no-control-regex': 'off',
			// Links are plain paths: the app is not served under a base path, and the widget and the
			// server-rendered pages build absolute URLs of their own.
			'svelte/no-navigation-without-resolve': 'off',
			// Plain Maps and Sets here are bookkeeping that is replaced, not mutated, when the view
			// must change; SvelteMap/SvelteSet would make every read a dependency.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		name: 'parley/import-cycles',
		files: ['**/*.{js,mjs,ts,mts,svelte}'],
		plugins: { 'import-x': importX },
		languageOptions: {
			// import-x parses each imported module with these: Svelte components need the TS parser.
			parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] }
		},
		settings: {
			'import-x/ignore': ['node_modules'],
			'import-x/resolver-next': [
				createTypeScriptImportResolver({
					project: `${root}tsconfig.json`,
					extensions: ['.ts', '.js', '.mjs', '.svelte', '.svelte.ts', '.svelte.js', '.json']
				})
			],
			'import-x/extensions': ['.ts', '.js', '.mjs', '.svelte'],
			'import-x/parsers': {
				'@typescript-eslint/parser': ['.ts', '.js', '.mjs'],
				'svelte-eslint-parser': ['.svelte']
			}
		},
		rules: {
			'import-x/no-cycle': ['error', { ignoreExternal: true }]
		}
	},
	...boundaries
);
