import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { RateLimiter, rateLimitKey } from './rate-limit';

describe('RateLimiter', () => {
	it('lets a caller through up to the limit in a minute, then answers 429 with retry-after', () => {
		let now = 1_000_000;
		const limiter = new RateLimiter(3, () => now);
		for (let i = 0; i < 3; i++) limiter.hit('key:a');
		now += 20_000;
		let error: unknown;
		try {
			limiter.hit('key:a');
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(AppError);
		expect((error as AppError).status).toBe(429);
		expect((error as AppError).options.retryAfterSeconds).toBe(40);
		// Other callers have their own budget.
		expect(() => limiter.hit('key:b')).not.toThrow();
		// A new minute starts afresh.
		now += 40_000;
		expect(() => limiter.hit('key:a')).not.toThrow();
	});
});

describe('rateLimitKey', () => {
	const base = { db: undefined as never, sessionId: null, authMethod: null } as const;
	it('limits by API key, else user, else anonymous id', () => {
		const user = { id: 'u1', email: 'a@b.c', name: null, role: 'user' as const, disabled: false };
		expect(rateLimitKey({ ...base, user, apiKeyId: 'k1' })).toBe('key:k1');
		expect(rateLimitKey({ ...base, user, apiKeyId: null })).toBe('user:u1');
		expect(rateLimitKey({ ...base, user: null, apiKeyId: null }, 'anon_1')).toBe('anonymous:anon_1');
	});
});
