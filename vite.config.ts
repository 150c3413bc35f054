import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, loadEnv } from 'vite';

export default defineConfig(({ mode }) => {
	// `vite dev` does not put `.env` into process.env; the config module reads process.env only.
	// Values already set in the environment win, as with `node --env-file-if-exists`.
	if (mode !== 'test') {
		for (const [key, value] of Object.entries(loadEnv(mode, process.cwd(), ''))) {
			process.env[key] ??= value;
		}
	}
	return {
		plugins: [sveltekit()],
		server: { port: 5173 },
		test: {
			include: ['src/**/*.test.ts', 'tests/api/**/*.test.ts'],
			environment: 'node',
			testTimeout: 20_000,
			hookTimeout: 60_000
		}
	};
});
