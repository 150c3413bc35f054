import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';

/** Streaming the offline model's parts at a word's pace, honouring the abort signal. */

/** With no delay, the stream still yields to the event loop after this many parts. */
const PARTS_PER_YIELD = 64;

/**
 * A pull-based stream of `parts`. Every text or reasoning delta after the first waits `delayMs`;
 * with no delay it still yields to the event loop every few parts. With `holdBefore`, the part at
 * that index waits until the stream is stopped (aborted or cancelled), so it never comes. When
 * `signal` aborts, the stream errors with an `AbortError` at once, even in the middle of a pause.
 */
export function streamParts(
	parts: LanguageModelV3StreamPart[],
	delayMs: number,
	signal: AbortSignal | undefined,
	options: { holdBefore?: number } = {}
): ReadableStream<LanguageModelV3StreamPart> {
	const stop = new AbortController();
	const onAbort = () => stop.abort(signal?.reason);
	signal?.addEventListener('abort', onAbort, { once: true });
	const release = () => signal?.removeEventListener('abort', onAbort);
	let index = 0;
	let deltas = 0;
	let cancelled = false;

	return new ReadableStream<LanguageModelV3StreamPart>(
		{
			async pull(controller) {
				try {
					throwIfAborted(stop.signal);
					const part = parts[index++];
					if (part === undefined) {
						release();
						controller.close();
						return;
					}
					const isDelta = part.type === 'text-delta' || part.type === 'reasoning-delta';
					if (index - 1 === options.holdBefore) await pause(Infinity, stop.signal);
					if (isDelta && deltas++ > 0 && delayMs > 0) await pause(delayMs, stop.signal);
					else if (index % PARTS_PER_YIELD === 0) await yieldToEventLoop();
					throwIfAborted(stop.signal);
					controller.enqueue(part);
				} catch (error) {
					release();
					if (!cancelled) controller.error(error);
				}
			},
			cancel() {
				cancelled = true;
				release();
				stop.abort();
			}
		},
		{ highWaterMark: 0 }
	);
}

/** Waits `ms` (`Infinity`: until aborted), rejecting with an `AbortError` as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(abortError(signal.reason));
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError(signal.reason));
		};
		const timer =
			ms === Infinity
				? undefined
				: setTimeout(() => {
						signal.removeEventListener('abort', onAbort);
						resolve();
					}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** Lets timers and I/O run between parts of a large zero-delay stream. */
function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Throws an `AbortError` if `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw abortError(signal.reason);
}

/** The abort reason when it is an abort/timeout error, else an `AbortError` carrying its message. */
function abortError(reason: unknown): Error {
	if (reason instanceof Error && (reason.name === 'AbortError' || reason.name === 'TimeoutError')) {
		return reason;
	}
	const message = reason === undefined ? 'The operation was aborted.' : String(reason);
	return new DOMException(message, 'AbortError');
}
