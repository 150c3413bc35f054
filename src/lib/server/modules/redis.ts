import type { createClient } from 'redis';
import { lazyModule } from './lazy-module';

/** A Redis client (node-redis). */
export type RedisClient = ReturnType<typeof createClient>;

/** node-redis: loaded only by a process that uses Redis (`REDIS_URL`). */
const loadRedis = lazyModule('Redis', () => import('redis'));

/** A new, not yet connected, Redis client for `url`. */
export async function createRedisClient(url: string): Promise<RedisClient> {
	const { createClient } = await loadRedis();
	return createClient({ url });
}
