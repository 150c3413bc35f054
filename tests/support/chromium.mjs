// The browser the e2e suite and the bench drive: Debian's Chromium (Playwright cannot download its
// own browsers on these machines), started with the same flags everywhere.
import { existsSync } from 'node:fs';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const HEADLESS_SHELL = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'];

/** Debian's Chromium; `CHROMIUM_PATH` wins. Undefined when none is installed. */
export function chromiumPath() {
	return process.env.CHROMIUM_PATH ?? CHROMIUM.find((path) => existsSync(path));
}

/**
 * The browser the tests drive: Debian's `chromium-headless-shell` — the same engine without the
 * browser's windowing layer, what Playwright itself runs for headless tests, and about a third
 * lighter on the CPU than the full browser in headless mode — or Chromium where it is not
 * installed. `CHROMIUM_PATH` wins. The bench measures pages in the full browser (`chromiumPath`).
 */
export function testBrowserPath() {
	return process.env.CHROMIUM_PATH ?? HEADLESS_SHELL.find((path) => existsSync(path)) ?? chromiumPath();
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

/**
 * The tests' flags: also no GPU compositing, since without a GPU it only moves frames through one
 * more process (measured: about 7 % less CPU in Chromium over the e2e suite).
 */
export const TEST_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--disable-gpu-compositing'];
