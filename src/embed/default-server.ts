/** The server a `<parley-chat>` without a `server` attribute talks to: the one `widget.js` came from. */
let loadedFrom: string | undefined;

export function setDefaultServer(base: string | undefined): void {
	loadedFrom = base;
}

export function defaultServer(): string | undefined {
	return loadedFrom;
}
