import adapterNode from '@sveltejs/adapter-node';
import adapterVercel from '@sveltejs/adapter-vercel';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** `ADAPTER=vercel npm run build` targets Vercel; anything else builds the Node server. */
const adapter =
	process.env.ADAPTER === 'vercel' ? adapterVercel({ runtime: 'nodejs24.x' }) : adapterNode({ out: 'build' });

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter,
		// `'*'` turns SvelteKit's own origin check off: it answers 403 to every multipart or form
		// post without a same-origin `Origin`, which breaks API clients. Parley checks the origin
		// itself for cookie-authenticated requests (src/lib/server/auth/origin-check.ts).
		csrf: { trustedOrigins: ['*'] },
		// One name per build. SvelteKit's default (a timestamp taken when this file loads) differs
		// between the client and server passes under Vite 8, and the page then fails to hydrate.
		version: { name: (process.env.PARLEY_BUILD_ID ??= Date.now().toString(36)) }
	}
};

export default config;
