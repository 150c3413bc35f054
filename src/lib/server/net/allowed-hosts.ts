/** Splits a comma-separated list of hosts (such as `HTTP_TOOL_ALLOWED_HOSTS`). */
export function parseAllowedHosts(list: string | undefined): string[] {
	return (list ?? '')
		.split(',')
		.map((host) => host.trim())
		.filter(Boolean);
}

/** A hostname in comparable form: lower case, no IPv6 brackets, no trailing dot. */
export function normalizeHost(host: string): string {
	return host
		.trim()
		.toLowerCase()
		.replace(/^\[(.*)\]$/, '$1')
		.replace(/\.$/, '');
}
