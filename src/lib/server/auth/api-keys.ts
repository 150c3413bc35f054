import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { apiKeys, users } from '../db/schema';
import { AppError } from '../errors';
import { newId } from '../ids';
import type { SessionUser } from './lucia';

const KEY_PREFIX = 'pk_';
/** Characters of a key shown in lists, enough to tell keys apart. */
const SHOWN_PREFIX_LENGTH = 10;

function hashKey(key: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(key)));
}

/** Creates an API key for a user. The key itself is returned once and stored only as a hash. */
export async function createApiKey(db: Db, userId: string, name: string) {
	const bytes = new Uint8Array(24);
	crypto.getRandomValues(bytes);
	const key = KEY_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
	const [record] = await db
		.insert(apiKeys)
		.values({ id: newId(), userId, name, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), keyHash: hashKey(key) })
		.returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
	return { key, ...record };
}

/** The user an API key acts for, or null when the key is unknown, revoked or its user disabled. */
export async function authenticateApiKey(db: Db, key: string): Promise<(SessionUser & { apiKeyId: string }) | null> {
	if (!key.startsWith(KEY_PREFIX)) return null;
	const [row] = await db
		.select({ keyId: apiKeys.id, user: users })
		.from(apiKeys)
		.innerJoin(users, eq(users.id, apiKeys.userId))
		.where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)));
	if (!row || row.user.disabled) return null;
	await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.keyId));
	const { id, email, name, role, disabled, theme } = row.user;
	return { id, email, name, role, disabled, theme, apiKeyId: row.keyId };
}

/** An API key as lists show it: never the key itself. */
export interface ApiKeySummary {
	id: string;
	name: string;
	prefix: string;
	createdAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

/** A user's API keys, newest first. */
export function listApiKeys(db: Db, userId: string): Promise<ApiKeySummary[]> {
	return db
		.select({
			id: apiKeys.id,
			name: apiKeys.name,
			prefix: apiKeys.prefix,
			createdAt: apiKeys.createdAt,
			lastUsedAt: apiKeys.lastUsedAt,
			revokedAt: apiKeys.revokedAt
		})
		.from(apiKeys)
		.where(eq(apiKeys.userId, userId))
		.orderBy(desc(apiKeys.createdAt));
}

/** Revokes a key of a user (`userId` null: any user's, for admins); `not_found` when there is none. */
export async function revokeApiKey(db: Db, keyId: string, userId: string | null): Promise<void> {
	const rows = await db
		.update(apiKeys)
		.set({ revokedAt: new Date() })
		.where(and(eq(apiKeys.id, keyId), userId === null ? undefined : eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
		.returning({ id: apiKeys.id });
	if (rows.length === 0) throw new AppError('not_found', 'No such active API key.', { field: 'id' });
}
