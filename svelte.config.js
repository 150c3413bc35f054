import { createHash } from 'node:crypto';
import adapterNode from '@sveltejs/adapter-node';
import adapterVercel from '@sveltejs/adapter-vercel';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** `ADAPTER=vercel npm run build` targets Vercel; anything else builds the Node server. */
const adapter = process.env.ADAPTER === 'vercel' ? adapterVercel({ runtime: 'nodejs24.x' }) : adapterNode({ out: 'build' });

/** The hash of `this.__e=event`, the inline handler Svelte renders to replay early image events. */
const SVELTE_EVENT_REPLAY_HASH = `sha256-${createHash('sha256').update('this.__e=event').digest('base64')}`;

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter,
		// Vitest generates its own copy of SvelteKit's files, so that unit tests can run while the
		// app builds: one `.svelte-kit` written by both would mix two builds' versions, and the
		// built pages would fail to hydrate.
		outDir: process.env.VITEST ? 'node_modules/.svelte-kit-vitest' : '.svelte-kit',
		// `'*'` turns SvelteKit's own origin check off: it answers 403 to every multipart or form
		// post without a same-origin `Origin`, which breaks API clients. Parley checks the origin
		// itself for cookie-authenticated requests (src/lib/server/auth/origin-check.ts).
		csrf: { trustedOrigins: ['*'] },
		// The Content-Security-Policy of every page SvelteKit renders; each response gets a fresh
		// nonce on its own inline scripts. Styles may be inline: Svelte's `style:` directives and
		// transitions, shiki's token colours and the widget's shadow-root styles all are. Images,
		// media and fetches stay on this site (the S3 endpoint is added at run time when files live
		// there, src/lib/server/http/security-headers.ts); no page may be framed by another site.
		// HTML that endpoints return themselves (/swagger, /redoc) gets its policy in that handle.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				// Svelte's server rendering gives images with load or error handlers the attribute
				// `onerror="this.__e=event"` (and `onload`), which keeps an event that fires before
				// hydration for the handler; that exact code, and no other inline handler, may run.
				'script-src': ['self', 'unsafe-hashes', SVELTE_EVENT_REPLAY_HASH],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				// blob: lets a page read back the object URLs it made (file previews).
				'connect-src': ['self', 'blob:'],
				'worker-src': ['self', 'blob:'],
				'frame-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['self']
			}
		},
		// One name per build. SvelteKit's default (a timestamp taken when this file loads) differs
		// between the client and server passes under Vite 8, and the page then fails to hydrate.
		version: { name: (process.env.PARLEY_BUILD_ID ??= Date.now().toString(36)) }
	}
};

export default config;
