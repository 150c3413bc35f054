import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, loadEnv } from 'vite';
import { parleyWidget } from './vite.embed.config.js';

export default defineConfig(({ mode }) => {
	// `vite dev` does not put `.env` into process.env; the config module reads process.env only.
	// Values already set in the environment win, as with `node --env-file-if-exists`.
	if (mode !== 'test') {
		for (const [key, value] of Object.entries(loadEnv(mode, process.cwd(), ''))) {
			process.env[key] ??= value;
		}
	}
	return {
		// widget.js (the embeddable chat) is built into static/ first, so SvelteKit serves it.
		plugins: [parleyWidget(), sveltekit()],
		server: { port: 5173 },
		test: {
			include: ['src/**/*.test.ts', 'tests/api/**/*.test.ts'],
			environment: 'node',
			testTimeout: 20_000,
			hookTimeout: 60_000
		}
	};
});
