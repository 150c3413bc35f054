const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The origin a request was made to: the configured public origin (`ORIGIN`) when there is one,
 * else the origin of the request's URL (`requestUrl`) as the server sees it.
 */
export function ownOrigin(requestUrl: URL | string, trustedOrigin?: string): string {
	return new URL(trustedOrigin ?? requestUrl).origin;
}

/**
 * Whether `source` (an `Origin` header, or a page's address) is exactly the origin `own`: same
 * scheme, host and port. `http://site` is not `https://site`, nor `https://site:8443`. A missing,
 * opaque (`null`) or malformed source never is.
 */
export function isSameOrigin(source: string | null | undefined, own: string): boolean {
	if (!source || source === 'null') return false;
	try {
		return new URL(source).origin === new URL(own).origin;
	} catch {
		return false;
	}
}

/**
 * Whether a cookie-authenticated request may change state: safe methods always; others only when
 * their `Origin` (or, failing that, `Referer`) is this site's origin — `ORIGIN` when configured
 * (`trustedOrigin`), else the request URL's (see {@link ownOrigin}).
 */
export function isSameOriginRequest(request: Request, url: URL, trustedOrigin?: string): boolean {
	if (SAFE_METHODS.has(request.method)) return true;
	const source = request.headers.get('origin') ?? refererOrigin(request.headers.get('referer'));
	return isSameOrigin(source, ownOrigin(url, trustedOrigin));
}

function refererOrigin(referer: string | null): string | null {
	if (!referer) return null;
	try {
		return new URL(referer).origin;
	} catch {
		return null;
	}
}
