import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createRedisClient, type RedisClient } from '../modules/redis';
import { getConfig, type Config } from '../config';
import { AppError } from '../errors';
import type { Viewer } from '../services/viewer';
import { UNKNOWN_ADDRESS, addressLimitKey } from './client-address';

/** Key prefix of the counters Parley keeps in Redis. */
const REDIS_PREFIX = 'parley:limit';
/** How long the first limit check waits for Redis to connect before counting in this process. */
const REDIS_CONNECT_WAIT_MS = 5_000;

/** Where counters live: this process's memory, or a Redis server that several processes share. */
export type LimitStore = { kind: 'memory' } | { kind: 'redis'; client: RedisClient };

/**
 * A number of events per key in fixed windows (`points` per `durationSeconds`, the window starting
 * at a key's first event), counted by `rate-limiter-flexible`. In Redis, a failing or unreachable
 * server falls back to counting in this process rather than refusing or letting everyone through.
 */
export class Limit {
	private readonly limiter: RateLimiterAbstract;

	constructor(
		readonly name: string,
		readonly points: number,
		readonly durationSeconds: number,
		store: LimitStore = { kind: 'memory' }
	) {
		const options = { keyPrefix: `${REDIS_PREFIX}:${name}`, points, duration: durationSeconds };
		this.limiter =
			store.kind === 'redis'
				? new RateLimiterRedis({
						...options,
						storeClient: store.client,
						useRedisPackage: true,
						rejectIfRedisNotReady: true,
						insuranceLimiter: new RateLimiterMemory(options)
					})
				: new RateLimiterMemory(options);
	}

	/**
	 * Counts one event of `key`. Resolves when it is within the limit; otherwise rejects with
	 * `rate_limited` (429) carrying `retryAfterSeconds`, its message made by `message`.
	 */
	async consume(key: string, message: (retryAfterSeconds: number) => string): Promise<void> {
		const over = await this.hit(key);
		if (over !== null) throw new AppError('rate_limited', message(over), { retryAfterSeconds: over });
	}

	/** Counts one event of `key`; the seconds until its window ends when that is over the limit, else null. */
	async hit(key: string): Promise<number | null> {
		try {
			await this.limiter.consume(key);
			return null;
		} catch (thrown) {
			if (thrown instanceof RateLimiterRes) return retryAfterSeconds(thrown);
			throw thrown;
		}
	}

	/** Takes back one event of `key` (one that turned out not to count), if its window is still open. */
	async refund(key: string): Promise<void> {
		if (await this.limiter.get(key)) await this.limiter.reward(key);
	}
}

function retryAfterSeconds(result: RateLimiterRes): number {
	return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
}

/** Every limit Parley applies, built from the configuration. */
export interface Limits {
	/** Streaming requests a minute per API key, user or anonymous id. */
	streamingPerCaller: Limit;
	/** Streaming requests a minute per client address, for anonymous callers. */
	streamingPerAddress: Limit;
	/** Tasks an hour that anonymous callers start per client address. */
	anonymousTasksPerAddress: Limit;
	/** Log-in attempts (refunded when they succeed) per account, in the failure window. */
	loginFailuresPerAccount: Limit;
	/** Log-in attempts (refunded when they succeed) per client address, in the failure window. */
	loginFailuresPerAddress: Limit;
}

/** Builds the limits of a configuration on a store. */
export function createLimits(
	config: Pick<
		Config,
		| 'RATE_LIMIT_PER_MINUTE'
		| 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE'
		| 'ANONYMOUS_TASKS_PER_HOUR'
		| 'LOGIN_FAILURE_LIMIT'
		| 'LOGIN_FAILURE_LIMIT_PER_ADDRESS'
		| 'LOGIN_FAILURE_WINDOW_MINUTES'
	>,
	store: LimitStore = { kind: 'memory' }
): Limits {
	const loginWindow = config.LOGIN_FAILURE_WINDOW_MINUTES * 60;
	return {
		streamingPerCaller: new Limit('stream', config.RATE_LIMIT_PER_MINUTE, 60, store),
		streamingPerAddress: new Limit('stream-address', config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, 60, store),
		anonymousTasksPerAddress: new Limit('anonymous-tasks', config.ANONYMOUS_TASKS_PER_HOUR, 60 * 60, store),
		loginFailuresPerAccount: new Limit('login-account', config.LOGIN_FAILURE_LIMIT, loginWindow, store),
		loginFailuresPerAddress: new Limit('login-address', config.LOGIN_FAILURE_LIMIT_PER_ADDRESS, loginWindow, store)
	};
}

let shared: Promise<Limits> | undefined;

/** The process's limits: in Redis when `REDIS_URL` is set (shared by every process), else in memory. */
export function getLimits(): Promise<Limits> {
	shared ??= (async () => {
		const config = getConfig();
		if (!config.REDIS_URL) return createLimits(config);
		const client = await createRedisClient(config.REDIS_URL);
		client.on('error', (error) => console.error('[parley] Redis error (rate limits)', error));
		const connected = client.connect().catch((error) => console.error('[parley] Redis connection failed (rate limits)', error));
		// Waits a little for the first connection; while Redis cannot be reached, limits count in this process.
		await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, REDIS_CONNECT_WAIT_MS).unref())]);
		return createLimits(config, { kind: 'redis', client });
	})();
	return shared;
}

/** The identity a caller is limited by: its API key, else its user, else its anonymous id. */
export function rateLimitKey(locals: App.Locals, anonymousId?: string): string {
	if (locals.apiKeyId) return `key:${locals.apiKeyId}`;
	if (locals.user) return `user:${locals.user.id}`;
	return `anonymous:${anonymousId ?? 'unknown'}`;
}

const perMinute = (limit: Limit, what: string) => (retryAfter: number) =>
	`Too many requests: at most ${limit.points} a minute ${what}. Try again in ${retryAfter} s.`;

/**
 * Counts a request to a streaming endpoint: against its caller's limit (`RATE_LIMIT_PER_MINUTE`
 * per API key, user or anonymous id) and, for an anonymous caller, against its address's
 * (`RATE_LIMIT_PER_ADDRESS_PER_MINUTE`), since an anonymous id is whatever the caller sends.
 */
export async function limitStreamingRequest(
	locals: App.Locals,
	viewer: Viewer,
	limits: Limits | Promise<Limits> = getLimits()
): Promise<void> {
	const { streamingPerAddress, streamingPerCaller } = await limits;
	const anonymous = !locals.user && viewer.kind === 'anonymous' ? viewer : null;
	if (anonymous) {
		const key = addressLimitKey(anonymous.address ?? UNKNOWN_ADDRESS);
		await streamingPerAddress.consume(key, perMinute(streamingPerAddress, 'from one address'));
	}
	const key = rateLimitKey(locals, anonymous?.anonymousId);
	await streamingPerCaller.consume(key, perMinute(streamingPerCaller, 'per caller'));
}

/** Counts a task an anonymous caller starts against its address's `ANONYMOUS_TASKS_PER_HOUR`. */
export async function limitAnonymousTask(
	viewer: Viewer & { kind: 'anonymous' },
	limits: Limits | Promise<Limits> = getLimits()
): Promise<void> {
	const limit = (await limits).anonymousTasksPerAddress;
	await limit.consume(addressLimitKey(viewer.address ?? UNKNOWN_ADDRESS), (retryAfter) => {
		const minutes = Math.ceil(retryAfter / 60);
		return `Too many new conversations: at most ${limit.points} an hour from one address without logging in. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, or log in.`;
	});
}

/** A log-in attempt counted against the failure limits; `refund` takes it back (it did not fail). */
export interface LoginAttempt {
	refund(): Promise<void>;
}

/**
 * Counts a log-in attempt against the failure limits of its account (`LOGIN_FAILURE_LIMIT`) and
 * address (`LOGIN_FAILURE_LIMIT_PER_ADDRESS`) before the password is checked, so that attempts
 * sent at once cannot all slip in; one that did not fail is refunded. Over either limit it is
 * refused (429 with `retryAfterSeconds`), whatever the password.
 */
export async function beginLoginAttempt(
	email: string,
	address: string,
	limits: Limits | Promise<Limits> = getLimits()
): Promise<LoginAttempt> {
	const { loginFailuresPerAccount: account, loginFailuresPerAddress: fromAddress } = await limits;
	const accountKey = email.trim().toLowerCase();
	const addressKey = addressLimitKey(address);
	const [accountOver, addressOver] = await Promise.all([account.hit(accountKey), fromAddress.hit(addressKey)]);
	const over = Math.max(accountOver ?? 0, addressOver ?? 0);
	if (over > 0) {
		const minutes = Math.ceil(over / 60);
		throw new AppError('rate_limited', `Too many failed log-ins. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, {
			retryAfterSeconds: over
		});
	}
	return {
		async refund() {
			await Promise.all([account.refund(accountKey), fromAddress.refund(addressKey)]);
		}
	};
}
