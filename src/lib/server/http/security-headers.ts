import type { Handle } from '@sveltejs/kit';
import { cspImageSources, getConfig, type Config } from '../config';

/**
 * Headers every response carries, pages and API answers alike: no MIME sniffing (a JSON body or
 * an uploaded file is never run as a script or page), and other sites learn only this site's
 * origin from a link followed, never the path of a task.
 */
const BASELINE_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin'
};

/**
 * The policy of HTML that endpoints return themselves rather than through a page (`/swagger`,
 * `/redoc`): scripts only from this site (the viewers' bundles under `/docs-assets/`, no inline
 * script), inline styles (both viewers set them), SVG icons as data URLs, ReDoc's search worker
 * from a blob, and never framed by another site. Those endpoints set it themselves; any other
 * HTML response without a policy gets it here. SvelteKit's pages get theirs from `kit.csp`
 * (svelte.config.js).
 */
export const STANDALONE_PAGE_CSP = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data: blob:",
	"font-src 'self' data:",
	"connect-src 'self'",
	"worker-src 'self' blob:",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
	"frame-ancestors 'self'"
].join('; ');

/** Directives that name where files shown in a page may come from. */
const FILE_DIRECTIVES = ['img-src', 'media-src'] as const;

/**
 * The origins presigned links of the `s3` storage can have: the bucket's virtual-hosted origin
 * and the path-style one the SDK falls back to (for an IP endpoint, or a bucket name with dots).
 * None with the local disk, whose signed links stay on this site.
 */
export function fileLinkOrigins(config: Config): string[] {
	if (config.STORAGE_DRIVER !== 's3' || !config.S3_BUCKET) return [];
	const endpoint = new URL(config.S3_ENDPOINT ?? `https://s3.${config.S3_REGION}.amazonaws.com`);
	const pathStyle = endpoint.origin;
	if (config.S3_FORCE_PATH_STYLE) return [pathStyle];
	return [`${endpoint.protocol}//${config.S3_BUCKET}.${endpoint.host}`, pathStyle];
}

/** Where pages may show images and media from besides this site: the file storage and `CSP_IMG_SOURCES`. */
export function imageSources(config: Config): string[] {
	return [...new Set([...fileLinkOrigins(config), ...cspImageSources(config)])];
}

/**
 * A policy with more sources in some directives; a directive the policy lacks is left out (it
 * then falls back to `default-src`, which the sources were not meant to widen).
 */
export function addSources(policy: string, directives: readonly string[], sources: readonly string[]): string {
	if (sources.length === 0) return policy;
	return policy
		.split(';')
		.map((part) => {
			const directive = part.trim();
			const name = directive.split(/\s+/, 1)[0].toLowerCase();
			if (!directives.includes(name)) return directive;
			const present = new Set(directive.split(/\s+/).slice(1));
			return [directive, ...sources.filter((source) => !present.has(source))].join(' ');
		})
		.filter(Boolean)
		.join('; ');
}

/** Whether a response is an HTML document. */
function isHtml(headers: Headers): boolean {
	return /^text\/html\b/i.test(headers.get('content-type') ?? '');
}

/**
 * The headers to set on a response, given the ones it has: the baseline on all; on HTML, the
 * page's own Content-Security-Policy with {@link imageSources} added to where images and media
 * may come from, or {@link STANDALONE_PAGE_CSP} when the response set none. Headers a
 * response set itself win (a file download keeps its `sandbox` policy).
 */
export function securityHeadersFor(headers: Headers, config: Config): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(BASELINE_HEADERS)) {
		if (!headers.has(name)) result[name] = value;
	}
	if (isHtml(headers)) {
		// For browsers that predate `frame-ancestors`.
		if (!headers.has('x-frame-options')) result['x-frame-options'] = 'SAMEORIGIN';
		const policy = headers.get('content-security-policy') ?? STANDALONE_PAGE_CSP;
		const withFiles = addSources(policy, FILE_DIRECTIVES, imageSources(config));
		if (withFiles !== headers.get('content-security-policy')) result['content-security-policy'] = withFiles;
	}
	return result;
}

/**
 * Sets the security headers on every response of the app (see {@link securityHeadersFor}).
 * Files served straight from the static folder (`/widget.js`, the built assets) do not pass here;
 * the production server (src/node/serve.mjs) gives `/widget.js` what embedding needs.
 */
export const securityHeadersHandle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const additions = Object.entries(securityHeadersFor(response.headers, getConfig()));
	try {
		for (const [name, value] of additions) response.headers.set(name, value);
		return response;
	} catch {
		// Some responses (redirects made with `Response.redirect`, proxied fetches) have immutable headers.
		const headers = new Headers(response.headers);
		for (const [name, value] of additions) headers.set(name, value);
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
};
