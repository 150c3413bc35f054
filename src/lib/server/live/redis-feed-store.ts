import { createRedisClient, type RedisClient as Client } from '../modules/redis';
import { newEpoch, parseEventId } from './event-id';
import { FeedClosedError, type FeedListener, type FeedSnapshot, type FeedStore } from './task-feed';
import type { FeedEntry, TaskEvent } from './task-event';

/** How much a {@link RedisFeedStore} keeps. */
export interface RedisFeedLimits {
	/** Events kept per task for subscribers that reconnect. */
	maxEntries: number;
	/** How long Redis keeps the feed of a task after its last event (or its last new reader). */
	idleSeconds: number;
}

const defaults: RedisFeedLimits = { maxEntries: 2000, idleSeconds: 60 * 60 };

type RedisClient = Client;

// The hash tag `{taskId}` keeps a task's keys in one slot, as scripts on a Redis Cluster need.
const metaKey = (taskId: string) => `parley:live:{${taskId}}:meta`;
const entriesKey = (taskId: string) => `parley:live:{${taskId}}:events`;
const channelOf = (taskId: string) => `parley:live:{${taskId}}`;

/**
 * Numbers an event, keeps it and publishes it, in one step, so that the order of ids is the order
 * in which every process receives them. A feed Redis has forgotten starts a new epoch.
 * KEYS: meta hash, events list. ARGV: event JSON, new epoch, max entries, TTL seconds, channel.
 */
const APPEND_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
local id = epoch .. '-' .. redis.call('HINCRBY', KEYS[1], 'seq', 1)
local entry = id .. ' ' .. ARGV[1]
redis.call('RPUSH', KEYS[2], entry)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], entry)
return id`;

/**
 * The id of a task's newest event; starts the feed when Redis has none.
 * KEYS: meta hash, events list. ARGV: new epoch, TTL seconds.
 */
const CURSOR_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return epoch .. '-' .. (redis.call('HGET', KEYS[1], 'seq') or '0')`;

/**
 * Tells a task's listeners, in every process, that it was deleted, and forgets its events, in one
 * step: what is appended later starts a new feed, after the message on the channel.
 * KEYS: meta hash, events list. ARGV: channel, message.
 */
const DROP_SCRIPT = `
redis.call('PUBLISH', ARGV[1], ARGV[2])
redis.call('DEL', KEYS[1], KEYS[2])
return 1`;

/** What the channel of a deleted task carries last: no entry id has a space-free form like it. */
const DELETED_MESSAGE = 'deleted';

/** An entry as Redis keeps and publishes it: its id, a space, the event's JSON. */
function decodeEntry(text: string): FeedEntry | null {
	const space = text.indexOf(' ');
	if (space < 0) return null;
	try {
		return { id: text.slice(0, space), event: JSON.parse(text.slice(space + 1)) as TaskEvent };
	} catch {
		return null;
	}
}

/**
 * The feed of tasks in Redis, shared by every server process: a script numbers each event per
 * task, keeps the newest in a capped list (for subscribers that reconnect, to any process) and
 * publishes it on the task's pub/sub channel, which each process listens to while someone there
 * watches the task.
 */
export class RedisFeedStore implements FeedStore {
	private readonly limits: RedisFeedLimits;
	private readonly listeners = new Set<FeedListener>();
	private closed = false;

	constructor(
		private readonly client: RedisClient,
		private readonly subscriber: RedisClient,
		limits: Partial<RedisFeedLimits> = {}
	) {
		this.limits = { ...defaults, ...limits };
	}

	async append(taskId: string, event: TaskEvent): Promise<string> {
		if (this.closed) throw new FeedClosedError();
		const id = await this.client.eval(APPEND_SCRIPT, {
			keys: [metaKey(taskId), entriesKey(taskId)],
			arguments: [JSON.stringify(event), newEpoch(), String(this.limits.maxEntries), String(this.limits.idleSeconds), channelOf(taskId)]
		});
		return String(id);
	}

	/** Always: another process may hold a listener or a cursor. */
	follows(): boolean {
		return true;
	}

	async cursor(taskId: string): Promise<string> {
		const id = await this.client.eval(CURSOR_SCRIPT, {
			keys: [metaKey(taskId), entriesKey(taskId)],
			arguments: [newEpoch(), String(this.limits.idleSeconds)]
		});
		return String(id);
	}

	async listen(taskId: string, listener: FeedListener, options: { snapshot?: boolean } = {}) {
		if (this.closed) throw new FeedClosedError();
		const channel = channelOf(taskId);
		const receive = (message: string) => {
			if (message === DELETED_MESSAGE) return listener.deleted();
			const entry = decodeEntry(message);
			if (entry) listener.next(entry);
		};
		// Listening starts before the kept events are read, so that nothing falls in between;
		// what comes both ways is sent once (the subscriber skips ids it has passed).
		await this.subscriber.subscribe(channel, receive);
		this.listeners.add(listener);
		const stop = () => {
			if (!this.listeners.delete(listener)) return;
			if (this.subscriber.isOpen) void this.subscriber.unsubscribe(channel, receive).catch(() => {});
		};
		if (options.snapshot === false) {
			const snapshot: FeedSnapshot = { epoch: null, seq: 0, entries: [] };
			return { snapshot, stop };
		}
		try {
			const [meta, kept] = (await this.client
				.multi()
				.hmGet(metaKey(taskId), ['epoch', 'seq'])
				.lRange(entriesKey(taskId), 0, -1)
				.exec()) as unknown as [(string | null)[], string[]];
			const [epoch, seq] = meta;
			const entries = kept.flatMap((text) => {
				const entry = decodeEntry(text);
				return entry && parseEventId(entry.id)?.epoch === epoch ? [entry] : [];
			});
			const snapshot: FeedSnapshot = epoch ? { epoch, seq: Number(seq ?? 0), entries } : { epoch: null, seq: 0, entries: [] };
			return { snapshot, stop };
		} catch (error) {
			stop();
			throw error;
		}
	}

	async drop(taskId: string): Promise<void> {
		await this.client.eval(DROP_SCRIPT, {
			keys: [metaKey(taskId), entriesKey(taskId)],
			arguments: [channelOf(taskId), DELETED_MESSAGE]
		});
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const listener of this.listeners) listener.close();
		this.listeners.clear();
		await Promise.allSettled([this.client.quit(), this.subscriber.quit()]);
	}
}

/** Connects to Redis and returns the feed store over it. */
export async function connectRedisFeedStore(url: string, limits: Partial<RedisFeedLimits> = {}): Promise<RedisFeedStore> {
	const client = await createRedisClient(url);
	const subscriber = client.duplicate();
	for (const connection of [client, subscriber]) {
		connection.on('error', (error) => console.error('[parley] Redis error (live tasks)', error));
	}
	await Promise.all([client.connect(), subscriber.connect()]);
	return new RedisFeedStore(client, subscriber, limits);
}
