/** Debian's Chromium; `CHROMIUM_PATH` wins. Undefined when none is installed. */
export function chromiumPath(): string | undefined;
/** Flags for a headless run in a container: no sandbox, GPU, background traffic or QUIC. */
export const CHROMIUM_ARGS: string[];
