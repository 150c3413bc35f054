// The browser the e2e suite and the bench drive: Debian's Chromium (Playwright cannot download its
// own browsers on these machines), started with the same flags everywhere.
import { existsSync } from 'node:fs';

/** Debian's Chromium; `CHROMIUM_PATH` wins. Undefined when none is installed. */
export function chromiumPath() {
	return (
		process.env.CHROMIUM_PATH ??
		['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))
	);
}

/** Flags for a headless run in a container: no sandbox, GPU, background traffic or QUIC. */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];
