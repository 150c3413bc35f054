/** A safe place to go after logging in: a local path only, never another site. */
export function redirectTarget(url: URL): string {
	const next = url.searchParams.get('next');
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
