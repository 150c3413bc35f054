const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a cookie-authenticated request may change state: safe methods always; others only when
 * their `Origin` (or, failing that, `Referer`) is this site. `trustedOrigin` is the configured
 * public origin (`ORIGIN`); the request's own host also counts, so that a server reached by
 * several names (localhost, 127.0.0.1, a proxy's host) accepts its own pages.
 */
export function isSameOriginRequest(request: Request, url: URL, trustedOrigin?: string): boolean {
	if (SAFE_METHODS.has(request.method)) return true;
	const source = request.headers.get('origin') ?? refererOrigin(request.headers.get('referer'));
	if (!source || source === 'null') return false;
	if (trustedOrigin && source === new URL(trustedOrigin).origin) return true;
	try {
		const host = request.headers.get('host') ?? url.host;
		return new URL(source).host === host;
	} catch {
		return false;
	}
}

function refererOrigin(referer: string | null): string | null {
	if (!referer) return null;
	try {
		return new URL(referer).origin;
	} catch {
		return null;
	}
}
