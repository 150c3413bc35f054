import { createRedisClient } from '../modules/redis';
import { AppError } from '../errors';
import type { TaskListEvent } from './task-list-event';

/** Events waiting for one slow reader before they are replaced by a `reset`. */
const MAX_PENDING = 100;

/** The Redis channel prefix: one channel per user, `parley:task-list:{userId}`. */
const CHANNEL_PREFIX = 'parley:task-list:';

interface Reader {
	push(event: TaskListEvent): void;
	close(): void;
}

/** Passes events between server processes; the in-memory one only within this process. */
interface Transport {
	publish(userId: string, event: TaskListEvent): Promise<void>;
	close(): Promise<void>;
}

/**
 * The live feed of each user's task list, for the chat sidebar. Holds nothing but the open
 * readers (at most `maxReadersPerUser` a user) and, for each, at most {@link MAX_PENDING} unread
 * events. With Redis, events cross server processes on one pub/sub channel per user.
 */
export class TaskListFeed {
	private readonly readers = new Map<string, Set<Reader>>();
	private transport: Promise<Transport> | undefined;
	private closed = false;

	constructor(private readonly options: { maxReadersPerUser: number; redisUrl?: string }) {}

	/** Hands an event to a user's readers in this process. */
	private deliver(userId: string, event: TaskListEvent): void {
		for (const reader of this.readers.get(userId) ?? []) reader.push(event);
	}

	private connect(): Promise<Transport> {
		if (!this.transport) {
			const connecting: Promise<Transport> = this.options.redisUrl
				? connectRedisTransport(this.options.redisUrl, (userId, event) => this.deliver(userId, event))
				: Promise.resolve({
						publish: async (userId, event) => this.deliver(userId, event),
						close: async () => {}
					});
			this.transport = connecting;
			// A failed connection is tried again by the next caller.
			connecting.catch(() => {
				if (this.transport === connecting) this.transport = undefined;
			});
		}
		return this.transport;
	}

	/** Tells a user's open sidebars, in every process, about an event. Failures are logged. */
	async publish(userId: string, event: TaskListEvent): Promise<void> {
		if (this.closed) return;
		try {
			await (await this.connect()).publish(userId, event);
		} catch (error) {
			console.error('[parley] could not tell the sidebars about a task', error);
		}
	}

	/**
	 * A user's events from now on, until `signal` aborts or the feed closes. Too many readers for
	 * one user is `rate_limited`.
	 */
	async subscribe(userId: string, signal?: AbortSignal): Promise<AsyncGenerator<TaskListEvent, void, undefined>> {
		if (this.closed) throw new AppError('internal', 'The server is stopping.');
		await this.connect();
		const readers = this.readers.get(userId) ?? new Set<Reader>();
		if (readers.size >= this.options.maxReadersPerUser) {
			throw new AppError('rate_limited', 'Too many chat pages are following your task list; close some and reload.');
		}
		let pending: TaskListEvent[] = [];
		let ended = false;
		let wake: (() => void) | undefined;
		const notify = () => {
			const resolve = wake;
			wake = undefined;
			resolve?.();
		};
		const reader: Reader = {
			push(event) {
				pending.push(event);
				if (pending.length > MAX_PENDING) pending = [{ type: 'reset' }];
				notify();
			},
			close() {
				ended = true;
				notify();
			}
		};
		readers.add(reader);
		this.readers.set(userId, readers);
		const stop = () => {
			readers.delete(reader);
			if (readers.size === 0 && this.readers.get(userId) === readers) this.readers.delete(userId);
		};
		// The reader goes when the client does, even if nobody ever reads the events.
		const abort = () => {
			stop();
			reader.close();
		};
		signal?.addEventListener('abort', abort);
		async function* events() {
			try {
				for (;;) {
					const event = pending.shift();
					if (event) {
						yield event;
						continue;
					}
					if (ended || signal?.aborted) return;
					await new Promise<void>((resolve) => (wake = resolve));
				}
			} finally {
				signal?.removeEventListener('abort', abort);
				stop();
			}
		}
		return events();
	}

	/** Whether a published event could reach a sidebar: with Redis always (other processes), else when one is open here. */
	hasListeners(): boolean {
		return !this.closed && (Boolean(this.options.redisUrl) || this.readers.size > 0);
	}

	/** How many readers a user has open in this process. */
	readerCount(userId: string): number {
		return this.readers.get(userId)?.size ?? 0;
	}

	/** Ends every reader and lets go of Redis. */
	async close(): Promise<void> {
		this.closed = true;
		for (const readers of this.readers.values()) for (const reader of readers) reader.close();
		this.readers.clear();
		const transport = this.transport;
		this.transport = undefined;
		await (await transport?.catch(() => undefined))?.close();
	}
}

/** Publishes on Redis, and hands what any process publishes to `deliver`. */
async function connectRedisTransport(url: string, deliver: (userId: string, event: TaskListEvent) => void): Promise<Transport> {
	const publisher = await createRedisClient(url);
	const subscriber = publisher.duplicate();
	for (const client of [publisher, subscriber]) {
		client.on('error', (error) => console.error('[parley] Redis error', error));
	}
	await Promise.all([publisher.connect(), subscriber.connect()]);
	await subscriber.pSubscribe(`${CHANNEL_PREFIX}*`, (message, channel) => {
		try {
			deliver(channel.slice(CHANNEL_PREFIX.length), JSON.parse(message) as TaskListEvent);
		} catch {
			// Not ours: ignored.
		}
	});
	return {
		async publish(userId, event) {
			await publisher.publish(`${CHANNEL_PREFIX}${userId}`, JSON.stringify(event));
		},
		async close() {
			await Promise.allSettled([publisher.quit(), subscriber.quit()]);
		}
	};
}
