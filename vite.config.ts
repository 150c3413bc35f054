import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, loadEnv, type Plugin } from 'vite';
import { parleyWidget } from './vite.embed.config.js';

/**
 * Starts the app as soon as the development server listens, rather than at the first visit, so
 * that its start-up summary (database, migrations, agents, model) follows Vite's banner, with
 * Vite's own address (`globalThis.__parleyDevUrl`, read by src/lib/server/startup-summary.ts).
 */
function parleyStartup(): Plugin {
	return {
		name: 'parley-startup',
		apply: 'serve',
		configureServer(server) {
			// No HTTP server in middleware mode (vitest): nothing to start.
			server.httpServer?.on('listening', () => {
				// Vite has worked out its URLs by now: its own 'listening' handler runs first.
				const url = server.resolvedUrls?.local[0];
				if (!url) return;
				(globalThis as { __parleyDevUrl?: string }).__parleyDevUrl = url;
				// The app's init hook runs on its first request; a failure is reported by the app itself.
				fetch(new URL('health', url)).then(
					(response) => response.body?.cancel(),
					() => {}
				);
			});
		}
	};
}

/**
 * Dependencies bundled into the server build. Node resolves each file of an external package
 * through that package's package.json, read again for every file: drizzle-orm's is 179 KB (an
 * exports map of thousands of entries) for about 110 files, so loading it took most of a
 * second of CPU at every start and left about 120 MB of heap reserved. Bundled, the server
 * starts in about half the CPU and half the memory (`bench/README.md`). Not here: native
 * packages (libsql, argon2), and packages whose objects external packages read too (zod:
 * the AI SDK, the MCP SDK and zod-openapi read its schemas, and two copies of it would not
 * share one registry).
 */
const BUNDLED_DEPENDENCIES = [
	'drizzle-orm',
	'@lucia-auth/adapter-drizzle',
	'lucia',
	'@oslojs/asn1',
	'@oslojs/binary',
	'@oslojs/crypto',
	'@oslojs/encoding',
	'ajv',
	'ajv-formats',
	'fast-uri',
	'csv-parse',
	'rate-limiter-flexible'
];

export default defineConfig(async ({ command, mode }) => {
	// `vite dev` does not put `.env` into process.env; the config module reads process.env only.
	// Values already set in the environment win, as with `node --env-file-if-exists`.
	if (mode !== 'test') {
		for (const [key, value] of Object.entries(loadEnv(mode, process.cwd(), ''))) {
			process.env[key] ??= value;
		}
	}
	// vitest's own modules only when it runs: a build or the development server does without them.
	const testOrder = mode === 'test' ? await import('./tests/support/test-order.mjs') : undefined;
	return {
		// widget.js (the embeddable chat) is built into static/ first, so SvelteKit serves it.
		plugins: [parleyWidget(), sveltekit(), parleyStartup()],
		server: { port: 5173 },
		// The server build bundles these instead of importing them from node_modules (only the build:
		// the development server and vitest load dependencies as they are).
		ssr: command === 'build' ? { noExternal: BUNDLED_DEPENDENCIES } : {},
		test: {
			environment: 'node',
			// A test's budget, not its pace: CPU-heavy tests (compiling every component, OCR, worker
			// processes) share two cores with the other workers and the browser tests.
			testTimeout: 60_000,
			hookTimeout: 60_000,
			// The demo database is migrated and seeded once per run; tests copy it.
			globalSetup: ['tests/support/db-templates-setup.ts'],
			// A test that checks nothing fails, and in CI so does a forgotten `.only`.
			expect: { requireAssertions: true },
			allowOnly: !process.env.CI,
			// Files of both projects share the workers. An API test mostly waits for its server (a
			// process of its own), so more workers than cores keep both cores busy.
			maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 3),
			// The slowest API files start first, so that no worker is left running one at the end.
			sequence: { sequencer: testOrder?.SlowestFirst },
			projects: [
				// Logic beside the code: needs no build.
				{ extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false } },
				// The built server (`npm run build` first), started by the tests.
				{ extends: true, test: { name: 'api', include: ['tests/api/**/*.test.ts'], isolate: false } }
			]
		}
	};
});
