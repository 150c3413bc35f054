import { tryJson } from './try-json';
import { toFetchInit } from './request';
import type { EventParser, PlaygroundRequest, RawEvent } from './types';

/** The status line and headers of a response. */
export interface ResponseHead {
	status: number;
	statusText: string;
	/** Header names in lower case. */
	headers: Record<string, string>;
}

/** How a request ended. */
export type ExchangeOutcome =
	/** The body streamed to its end. */
	| { kind: 'streamed'; head: ResponseHead }
	/** A non-2xx answer, with its body (JSON when it parsed). */
	| { kind: 'http-error'; head: ResponseHead; body: unknown }
	/** Stopped by the caller. */
	| { kind: 'aborted'; head?: ResponseHead }
	/** The request or the stream failed (network, a broken connection). */
	| { kind: 'failed'; head?: ResponseHead; message: string };

/** What running a request needs: the way to fetch, the body's parser, a clock, and where events go. */
export interface RunExchangeOptions {
	request: PlaygroundRequest;
	parser: EventParser;
	fetch: typeof fetch;
	signal?: AbortSignal;
	/** Milliseconds from any fixed point (`performance.now`). */
	now: () => number;
	/** Called once the status line has arrived. */
	onResponse?: (head: ResponseHead) => void;
	/** Called with the events each chunk completes, as they arrive. */
	onEvents: (events: RawEvent[]) => void;
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
	return signal?.aborted === true || (error instanceof DOMException && error.name === 'AbortError');
}

/**
 * Sends a request and reads its body as it arrives, handing each chunk's events on with the
 * time since the request started. A non-2xx response is read whole as its error body.
 */
export async function runExchange(options: RunExchangeOptions): Promise<ExchangeOutcome> {
	const { request, parser, signal, now, onEvents } = options;
	const started = now();
	const elapsed = () => Math.max(0, Math.round(now() - started));
	let head: ResponseHead | undefined;
	try {
		const response = await options.fetch(request.url, toFetchInit(request, signal));
		head = {
			status: response.status,
			statusText: response.statusText,
			headers: Object.fromEntries([...response.headers].map(([name, value]) => [name.toLowerCase(), value]))
		};
		options.onResponse?.(head);
		if (!response.ok) {
			const text = await response.text();
			return { kind: 'http-error', head, body: tryJson(text) ?? text };
		}
		if (!response.body) return { kind: 'streamed', head };
		const reader = response.body.getReader();
		const decoder = new TextDecoder();
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			const events = parser.parseChunk(decoder.decode(value, { stream: true }), elapsed());
			if (events.length > 0) onEvents(events);
		}
		const end = elapsed();
		const rest = parser.parseChunk(decoder.decode(), end).concat(parser.flush(end));
		if (rest.length > 0) onEvents(rest);
		return { kind: 'streamed', head };
	} catch (error) {
		if (isAbort(error, signal)) return { kind: 'aborted', head };
		return { kind: 'failed', head, message: error instanceof Error ? error.message : String(error) };
	}
}
