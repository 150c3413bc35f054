/** Headers every SSE response sends: no caching, no proxy buffering, no compression. */
export const SSE_HEADERS = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache, no-transform',
	connection: 'keep-alive',
	'x-accel-buffering': 'no'
} as const;

/** One server-sent event. */
export interface SseEvent {
	event?: string;
	id?: string;
	/** Sent as is when a string, else as JSON. */
	data: unknown;
}

/** How often a comment keeps idle connections (and proxies) from timing out. */
export const KEEP_ALIVE_MS = 15_000;

/** Formats one event, splitting multi-line data over several `data:` lines. */
export function formatSseEvent(event: SseEvent): string {
	let text = '';
	if (event.event !== undefined) text += `event: ${singleLine('event', event.event)}\n`;
	if (event.id !== undefined) text += `id: ${singleLine('id', event.id)}\n`;
	// JSON writes every line break inside a string as an escape: one line, with nothing to split.
	if (typeof event.data !== 'string') return `${text}data: ${JSON.stringify(event.data) ?? 'null'}\n\n`;
	for (const line of event.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
	return `${text}\n`;
}

/** What a mapper makes of one input: an event, several, or none. */
export type SseEvents = SseEvent | readonly SseEvent[] | undefined;

/** The SSE text of what a mapper made of one input ('' for nothing). */
export function formatSseEvents(events: SseEvents): string {
	if (events === undefined) return '';
	if (!Array.isArray(events)) return formatSseEvent(events as SseEvent);
	let text = '';
	for (const event of events as readonly SseEvent[]) text += formatSseEvent(event);
	return text;
}

/** An `event` or `id` field's value, which cannot hold a line break. */
function singleLine(field: string, value: string): string {
	if (/[\r\n]/.test(value)) throw new Error(`An SSE ${field} cannot contain a line break`);
	return value;
}

/**
 * A transform from events to SSE bytes, with a keep-alive comment every 15 s while idle and an
 * optional last event (such as `[DONE]`) once the source ends. With `map`, it takes anything and
 * sends what `map` makes of each (one event, several, or none): one stage instead of two.
 */
export function sseStream(options?: { last?: SseEvent; keepAliveMs?: number }): TransformStream<SseEvent, Uint8Array>;
export function sseStream<T>(options: {
	last?: SseEvent;
	keepAliveMs?: number;
	map: (input: T) => SseEvents;
}): TransformStream<T, Uint8Array>;
export function sseStream<T>(
	options: { last?: SseEvent; keepAliveMs?: number; map?: (input: T) => SseEvents } = {}
): TransformStream<T, Uint8Array> {
	const encoder = new TextEncoder();
	const map = options.map ?? ((input: T) => input as SseEvent);
	let timer: ReturnType<typeof setInterval> | undefined;
	return new TransformStream<T, Uint8Array>({
		start(controller) {
			timer = setInterval(() => {
				try {
					controller.enqueue(encoder.encode(': keep-alive\n\n'));
				} catch {
					clearInterval(timer);
				}
			}, options.keepAliveMs ?? KEEP_ALIVE_MS);
			// When the reader goes away, `flush` never runs: the timer must not keep the process alive
			// (it clears itself on its next tick).
			timer.unref?.();
		},
		transform(input, controller) {
			const text = formatSseEvents(map(input));
			if (text !== '') controller.enqueue(encoder.encode(text));
		},
		flush(controller) {
			clearInterval(timer);
			if (options.last) controller.enqueue(encoder.encode(formatSseEvent(options.last)));
		}
	});
}
