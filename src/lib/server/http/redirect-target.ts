/**
 * A safe place to go after logging in: the `next` parameter read as a URL on this site, as a path
 * (`/chat/abc?x=1#y`), or `/` when it names another site, another scheme, or nothing.
 *
 * `next` is resolved with `new URL(next, origin)` — as a browser would resolve it — so that every
 * trick a browser reads as another host (`//evil`, `/\evil`, a tab or newline inside `//`, which
 * URL parsing drops) shows up as a foreign origin instead of slipping past a prefix check. The
 * answer is rebuilt from the parsed URL, so it carries no raw control characters into `Location`.
 */
export function redirectTarget(url: URL): string {
	const next = url.searchParams.get('next');
	if (!next) return '/';
	let target: URL;
	try {
		target = new URL(next, url.origin);
	} catch {
		return '/';
	}
	if (target.origin !== url.origin) return '/';
	// A path that itself starts with `//` (`/.//evil` resolves to it) would be read as another host.
	const path = `/${target.pathname.replace(/^\/+/, '')}`;
	return `${path}${target.search}${target.hash}`;
}
