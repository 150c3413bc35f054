import { createClient } from 'redis';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRedis, type TestRedis } from '../../../../tests/support/redis';
import { AppError } from '../errors';
import type { Viewer } from '../services/viewer';
import { Limit, beginLoginAttempt, createLimits, limitAnonymousTask, limitStreamingRequest, rateLimitKey, type Limits } from './rate-limit';

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the Redis rate limit tests: ${redis.reason}.`);

/** What a promise rejected with, or undefined when it resolved. */
async function rejection(promise: Promise<unknown>): Promise<AppError | undefined> {
	try {
		await promise;
		return undefined;
	} catch (error) {
		return error as AppError;
	}
}

const settings = {
	RATE_LIMIT_PER_MINUTE: 5,
	RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 3,
	ANONYMOUS_TASKS_PER_HOUR: 2,
	LOGIN_FAILURE_LIMIT: 3,
	LOGIN_FAILURE_LIMIT_PER_ADDRESS: 4,
	LOGIN_FAILURE_WINDOW_MINUTES: 15
};

const noLocals = { db: undefined as never, user: null, sessionId: null, apiKeyId: null, authMethod: null } as const;
const anonymous = (anonymousId: string, address?: string): Viewer & { kind: 'anonymous' } => ({
	kind: 'anonymous',
	anonymousId,
	address
});

describe('Limit', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: 1_000_000 });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('lets a key through up to its points in a window, then answers 429 with retry-after', async () => {
		const limit = new Limit('test', 3, 60);
		for (let i = 0; i < 3; i++) await limit.consume('key:a', () => 'over');
		vi.advanceTimersByTime(20_000);
		const error = await rejection(limit.consume('key:a', (seconds) => `over, wait ${seconds} s`));
		expect(error).toBeInstanceOf(AppError);
		expect(error?.status).toBe(429);
		expect(error?.options.retryAfterSeconds).toBe(40);
		expect(error?.message).toBe('over, wait 40 s');
		// Other keys have their own budget.
		await expect(limit.consume('key:b', () => 'over')).resolves.toBeUndefined();
		// A new window starts afresh.
		vi.advanceTimersByTime(40_000);
		await expect(limit.consume('key:a', () => 'over')).resolves.toBeUndefined();
	});

	it('takes back a refunded event', async () => {
		const limit = new Limit('test', 1, 60);
		expect(await limit.hit('k')).toBeNull();
		await limit.refund('k');
		expect(await limit.hit('k')).toBeNull();
		expect(await limit.hit('k')).toBe(60);
	});
});

describe('rateLimitKey', () => {
	it('limits by API key, else user, else anonymous id', () => {
		const user = { id: 'u1', email: 'a@b.c', name: null, role: 'user' as const, disabled: false, theme: 'system' as const };
		expect(rateLimitKey({ ...noLocals, user, apiKeyId: 'k1' })).toBe('key:k1');
		expect(rateLimitKey({ ...noLocals, user, apiKeyId: null })).toBe('user:u1');
		expect(rateLimitKey({ ...noLocals, user: null, apiKeyId: null }, 'anon_1')).toBe('anonymous:anon_1');
	});
});

describe('limitStreamingRequest', () => {
	let limits: Limits;
	beforeEach(() => {
		limits = createLimits(settings);
	});

	it('limits anonymous callers by address too, whatever ids they send', async () => {
		for (let i = 0; i < 3; i++) await limitStreamingRequest(noLocals, anonymous(`anon_${i}_fresh`, '203.0.113.7'), limits);
		const error = await rejection(limitStreamingRequest(noLocals, anonymous('anon_another', '203.0.113.7'), limits));
		expect(error?.code).toBe('rate_limited');
		expect(error?.options.retryAfterSeconds).toBeGreaterThan(0);
		expect(error?.message).toContain('from one address');
		// Another address has its own budget.
		await expect(limitStreamingRequest(noLocals, anonymous('anon_another', '203.0.113.8'), limits)).resolves.toBeUndefined();
	});

	it('counts an IPv6 /64 as one address', async () => {
		for (let i = 0; i < 3; i++) await limitStreamingRequest(noLocals, anonymous(`anon_${i}_fresh`, `2001:db8:1:2::${i + 1}`), limits);
		const error = await rejection(limitStreamingRequest(noLocals, anonymous('anon_x', '2001:db8:1:2:ffff::9'), limits));
		expect(error?.code).toBe('rate_limited');
		await expect(limitStreamingRequest(noLocals, anonymous('anon_x', '2001:db8:1:3::1'), limits)).resolves.toBeUndefined();
	});

	it('keeps the per-id limit for an anonymous id used from many addresses', async () => {
		for (let i = 0; i < 5; i++) await limitStreamingRequest(noLocals, anonymous('anon_same', `198.51.100.${i}`), limits);
		const error = await rejection(limitStreamingRequest(noLocals, anonymous('anon_same', '198.51.100.99'), limits));
		expect(error?.message).toContain('per caller');
	});

	it('does not limit signed-in users by address', async () => {
		const user = { id: 'u1', email: 'a@b.c', name: null, role: 'user' as const, disabled: false, theme: 'system' as const };
		const viewer: Viewer = { kind: 'user', id: 'u1', role: 'user' };
		for (let i = 0; i < 5; i++) await limitStreamingRequest({ ...noLocals, user }, viewer, limits);
		const error = await rejection(limitStreamingRequest({ ...noLocals, user }, viewer, limits));
		expect(error?.message).toContain('per caller');
	});
});

describe('limitAnonymousTask', () => {
	it('allows ANONYMOUS_TASKS_PER_HOUR new tasks per address, then 429 saying when', async () => {
		const limits = createLimits(settings);
		await limitAnonymousTask(anonymous('anon_a', '192.0.2.1'), limits);
		await limitAnonymousTask(anonymous('anon_b', '192.0.2.1'), limits);
		const error = await rejection(limitAnonymousTask(anonymous('anon_c', '192.0.2.1'), limits));
		expect(error?.status).toBe(429);
		expect(error?.options.retryAfterSeconds).toBeGreaterThan(59 * 60);
		expect(error?.message).toMatch(/Try again in 60 minutes/);
		await expect(limitAnonymousTask(anonymous('anon_c', '192.0.2.2'), limits)).resolves.toBeUndefined();
	});

	it('counts callers without a known address together', async () => {
		const limits = createLimits(settings);
		await limitAnonymousTask(anonymous('anon_a'), limits);
		await limitAnonymousTask(anonymous('anon_b'), limits);
		expect((await rejection(limitAnonymousTask(anonymous('anon_c'), limits)))?.code).toBe('rate_limited');
	});
});

describe('beginLoginAttempt', () => {
	it('refuses an account after LOGIN_FAILURE_LIMIT failures, from any address, until the window ends', async () => {
		const limits = createLimits(settings);
		for (let i = 0; i < 3; i++) await beginLoginAttempt('bob@example.com', `192.0.2.${i}`, limits);
		const error = await rejection(beginLoginAttempt('Bob@Example.com', '192.0.2.200', limits));
		expect(error?.status).toBe(429);
		expect(error?.options.retryAfterSeconds).toBeGreaterThan(14 * 60);
		expect(error?.message).toBe('Too many failed log-ins. Try again in 15 minutes.');
		await expect(beginLoginAttempt('carol@example.com', '192.0.2.200', limits)).resolves.toBeDefined();
	});

	it('refuses an address after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures, whichever accounts', async () => {
		const limits = createLimits(settings);
		for (let i = 0; i < 4; i++) await beginLoginAttempt(`user${i}@example.com`, '192.0.2.50', limits);
		expect((await rejection(beginLoginAttempt('new@example.com', '192.0.2.50', limits)))?.code).toBe('rate_limited');
		await expect(beginLoginAttempt('new@example.com', '192.0.2.51', limits)).resolves.toBeDefined();
	});

	it('does not count attempts that were refunded (successful log-ins)', async () => {
		const limits = createLimits(settings);
		for (let i = 0; i < 10; i++) await (await beginLoginAttempt('ok@example.com', '192.0.2.60', limits)).refund();
		await expect(beginLoginAttempt('ok@example.com', '192.0.2.60', limits)).resolves.toBeDefined();
	});
});

describe.skipIf(!redis.url)('limits in Redis', () => {
	const clients: ReturnType<typeof createClient>[] = [];
	/** A client of its own, as each server process has. */
	async function connect() {
		const client = createClient({ url: redis.url ?? '' });
		clients.push(client);
		await client.connect();
		return client;
	}

	afterAll(async () => {
		await Promise.allSettled(clients.map((client) => client.quit()));
		if ('stop' in redis) await redis.stop();
	});

	it('shares the count between processes', async () => {
		const name = `shared-${crypto.randomUUID()}`;
		const first = new Limit(name, 3, 60, { kind: 'redis', client: await connect() });
		const second = new Limit(name, 3, 60, { kind: 'redis', client: await connect() });
		expect(await first.hit('203.0.113.1')).toBeNull();
		expect(await second.hit('203.0.113.1')).toBeNull();
		expect(await first.hit('203.0.113.1')).toBeNull();
		const retryAfter = await second.hit('203.0.113.1');
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(await second.hit('203.0.113.2')).toBeNull();
		await second.refund('203.0.113.2');
		const admin = await connect();
		expect(await admin.get(`parley:limit:${name}:203.0.113.2`)).toBe('0');
	});

	it('counts in the process while Redis cannot be reached', async () => {
		const unreachable = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
		unreachable.on('error', () => {});
		const limit = new Limit(`down-${crypto.randomUUID()}`, 2, 60, { kind: 'redis', client: unreachable });
		expect(await limit.hit('k')).toBeNull();
		expect(await limit.hit('k')).toBeNull();
		expect(await limit.hit('k')).toBeGreaterThan(0);
	});
});
