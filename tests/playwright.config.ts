import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { TEST_CHROMIUM_ARGS, testBrowserPath } from './support/chromium.mjs';

const port = Number(process.env.E2E_PORT ?? 4318);
const baseURL = `http://127.0.0.1:${port}`;
/** The server's data folder. Workers load this file again and inherit the runner's choice, so a test can open its database. */
const dataFolder = (process.env.E2E_DATA_FOLDER ??= mkdtempSync(join(tmpdir(), 'parley-e2e-')));
/** A second origin (another site) that embeds the chat widget; the server lists it in CORS_ORIGINS. */
const embedSitePort = (process.env.E2E_EMBED_SITE_PORT ??= String(port + 1));

export default defineConfig({
	testDir: './e2e',
	outputDir: resolve(import.meta.dirname, '../test-results/e2e'),
	// Files run side by side on two workers (E2E_WORKERS), the tests of one file in order, except
	// the page checks of all-pages.spec.ts, which spread over both.
	fullyParallel: false,
	workers: Number(process.env.E2E_WORKERS ?? 2),
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	forbidOnly: Boolean(process.env.CI),
	// The admin account (E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD) signs up first, once the server answers.
	globalSetup: './support/e2e-admin.ts',
	reporter: [['list'], ['json', { outputFile: resolve(import.meta.dirname, '../test-results/e2e-report.json') }]],
	use: {
		baseURL,
		// No traces: recording one films every test (a screencast Chromium encodes frame by frame),
		// which took about 40 % of the suite's browser CPU. To look into a failure, run it again
		// with `npm run test:e2e -- --trace retain-on-failure` (or `--trace on`).
		trace: 'off',
		// As for a person who asked for less motion: spinners and blinking cursors stand still, so
		// Chromium does not paint frames for them while tests wait (the app's CSS honours it).
		reducedMotion: 'reduce',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: testBrowserPath(),
					args: TEST_CHROMIUM_ARGS
				}
			}
		}
	],
	webServer: {
		command: 'node build',
		cwd: resolve(import.meta.dirname, '..'),
		url: `${baseURL}/health`,
		reuseExistingServer: false,
		// The start can take long while vitest runs beside it.
		timeout: 90_000,
		env: {
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: baseURL,
			DATABASE_URL: `file:${join(dataFolder, 'parley.db')}`,
			// Answers stream fast; a test that must act while one streams asks the offline model for
			// it "slowly" or "until I interrupt you" (src/lib/server/models/offline/pace.ts).
			MOCK_TOKEN_DELAY_MS: '2',
			CORS_ORIGINS: `http://localhost:${embedSitePort}`,
			BODY_SIZE_LIMIT: '100M'
		}
	}
});
