/** Debian's Chromium; `CHROMIUM_PATH` wins. Undefined when none is installed. */
export function chromiumPath(): string | undefined;
/** The browser the tests drive: Debian's headless shell, else Chromium; `CHROMIUM_PATH` wins. */
export function testBrowserPath(): string | undefined;
/** Flags for a headless run in a container: no sandbox, GPU, background traffic or QUIC. */
export const CHROMIUM_ARGS: string[];
/** The tests' flags: `CHROMIUM_ARGS` and no GPU compositing. */
export const TEST_CHROMIUM_ARGS: string[];
