import type { RequestEvent } from '@sveltejs/kit';
import { IncomingMessage } from 'node:http';

/**
 * Calls `callback` once when the caller of a request goes away before its answer is sent: the
 * request's signal (a body cut short) or, on the Node server, its connection closing. Returns a
 * function that stops listening; call it once the answer is ready.
 */
export function onCallerGone(event: Pick<RequestEvent, 'request' | 'platform'>, callback: () => void): () => void {
	const { signal } = event.request;
	const socket = socketOf(event.platform);
	let done = false;
	const gone = () => {
		if (done) return;
		dispose();
		callback();
	};
	const dispose = () => {
		done = true;
		signal.removeEventListener('abort', gone);
		socket?.off('close', gone);
	};
	if (signal.aborted || socket?.destroyed) {
		gone();
		return dispose;
	}
	signal.addEventListener('abort', gone, { once: true });
	socket?.once('close', gone);
	return dispose;
}

/** The connection of a request on adapter-node, which passes the Node request as `platform.req`. */
function socketOf(platform: unknown) {
	if (typeof platform !== 'object' || platform === null || !('req' in platform)) return undefined;
	return platform.req instanceof IncomingMessage ? platform.req.socket : undefined;
}
