/**
 * The build of `widget.js`, the embeddable `<parley-chat>` element (src/embed): one IIFE file,
 * Svelte compiled as a custom element with its styles injected into its shadow root. It is written
 * to `static/widget.js`, which SvelteKit then serves as a static file, on Node and on Vercel alike.
 *
 * `vite build` and `vite dev` of the app run it through {@link parleyWidget} (vite.config.ts), so
 * the file exists before SvelteKit copies the static folder; `npm run build:widget` runs it alone.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte, vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { build, defineConfig, transformWithOxc } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Strips the types of `.svelte.ts` modules (the element's state) before Svelte compiles them:
 * Vite's own pass, which would do it, is off below (`oxc: false`). No tsconfig is read.
 * @returns {import('vite').Plugin}
 */
function svelteModuleTypes() {
	return {
		name: 'parley-widget:svelte-module-types',
		transform: {
			filter: { id: /\.svelte\.ts$/ },
			async handler(code, id) {
				const result = await transformWithOxc(code, id, { lang: 'ts', tsconfig: false, sourcemap: false });
				return { code: result.code, map: null };
			}
		}
	};
}

/**
 * The widget's build settings.
 * @returns {import('vite').InlineConfig}
 */
export function widgetBuildConfig() {
	return {
		configFile: false,
		root,
		mode: 'production',
		logLevel: 'warn',
		publicDir: false,
		plugins: [
			svelteModuleTypes(),
			svelte({
				configFile: false,
				preprocess: vitePreprocess(),
				emitCss: false,
				compilerOptions: { css: 'injected' },
				// Only the element itself is a custom element; the components inside it are plain ones
				// whose styles Svelte appends to the shadow root they render in.
				dynamicCompileOptions: ({ filename }) => (filename.endsWith('/src/embed/ParleyChat.svelte') ? { customElement: true } : undefined)
			})
		],
		resolve: { alias: { $lib: resolve(root, 'src', 'lib') } },
		define: { 'process.env.NODE_ENV': JSON.stringify('production') },
		// Rolldown strips the types itself, reading no tsconfig: the app's extends SvelteKit's
		// generated one, which a fresh checkout does not have before its first sync.
		oxc: false,
		build: {
			rolldownOptions: { tsconfig: false },
			outDir: resolve(root, 'static'),
			emptyOutDir: false,
			copyPublicDir: false,
			reportCompressedSize: false,
			sourcemap: false,
			minify: true,
			lib: {
				entry: resolve(root, 'src', 'embed', 'main.ts'),
				name: 'ParleyWidget',
				formats: ['iife'],
				fileName: () => 'widget.js'
			}
		}
	};
}

/**
 * @typedef {{ close(): unknown; on(event: 'event', listener: (event: { code: string; error?: unknown; result?: { close?(): unknown } }) => void): unknown }} WidgetWatcher
 */
/** One build per process, however often the config is loaded. */
const shared = /** @type {typeof globalThis & { __parleyWidgetBuild?: Promise<unknown>; __parleyWidgetWatcher?: WidgetWatcher }} */ (
	globalThis
);

/**
 * Builds `widget.js` with the app: once per `vite build` (SvelteKit loads the config again for
 * its client pass), and in watch mode beside `vite dev`. Tests (vitest) skip it.
 * @returns {import('vite').Plugin}
 */
export function parleyWidget() {
	return {
		name: 'parley-widget',
		enforce: 'pre',
		async config(_config, env) {
			if (env.command !== 'build' || env.mode === 'test' || process.env.VITEST) return;
			shared.__parleyWidgetBuild ??= build(widgetBuildConfig());
			await shared.__parleyWidgetBuild;
		},
		async configureServer(server) {
			if (server.config.mode === 'test' || process.env.VITEST) return;
			await shared.__parleyWidgetWatcher?.close();
			const config = widgetBuildConfig();
			const watcher = /** @type {WidgetWatcher} */ (
				/** @type {unknown} */ (await build({ ...config, build: { ...config.build, watch: {} } }))
			);
			shared.__parleyWidgetWatcher = watcher;
			await new Promise((done) => {
				watcher.on('event', (event) => {
					if (event.code === 'BUNDLE_END') event.result?.close?.();
					if (event.code === 'ERROR') server.config.logger.error(`[parley] widget.js: ${String(event.error)}`);
					if (event.code === 'END' || event.code === 'ERROR') done(undefined);
				});
			});
			server.httpServer?.once('close', () => void watcher.close());
		}
	};
}

export default defineConfig(widgetBuildConfig());
