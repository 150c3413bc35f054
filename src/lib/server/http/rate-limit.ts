import { AppError } from '../errors';

interface Window {
	startedAt: number;
	count: number;
}

/** A fixed one-minute window per caller, in memory (one process). */
export class RateLimiter {
	private readonly windows = new Map<string, Window>();

	constructor(
		private readonly perMinute: number,
		private readonly now: () => number = Date.now
	) {}

	/** Counts one request of a caller; `rate_limited` with `retry-after` when over the limit. */
	hit(caller: string): void {
		const now = this.now();
		let window = this.windows.get(caller);
		if (!window || now - window.startedAt >= 60_000) {
			window = { startedAt: now, count: 0 };
			this.windows.set(caller, window);
			if (this.windows.size > 10_000) this.sweep(now);
		}
		window.count++;
		if (window.count > this.perMinute) {
			const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000));
			throw new AppError('rate_limited', `Too many requests: at most ${this.perMinute} a minute. Try again in ${retryAfterSeconds} s.`, {
				retryAfterSeconds
			});
		}
	}

	private sweep(now: number): void {
		for (const [caller, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(caller);
	}
}

let shared: RateLimiter | undefined;

/** The process's limiter for streaming endpoints. */
export function streamingRateLimiter(perMinute: number): RateLimiter {
	shared ??= new RateLimiter(perMinute);
	return shared;
}

/** The identity a caller is limited by: its API key, else its user, else its anonymous id. */
export function rateLimitKey(locals: App.Locals, anonymousId?: string): string {
	if (locals.apiKeyId) return `key:${locals.apiKeyId}`;
	if (locals.user) return `user:${locals.user.id}`;
	return `anonymous:${anonymousId ?? 'unknown'}`;
}

/** Counts a request to a streaming endpoint against its caller's limit (`RATE_LIMIT_PER_MINUTE`). */
export function limitStreamingRequest(locals: App.Locals, perMinute: number, anonymousId?: string): void {
	streamingRateLimiter(perMinute).hit(rateLimitKey(locals, anonymousId));
}
