import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { apiKeys, users } from '../db/schema';
import { authenticateApiKey, createApiKey } from './api-keys';

let temp: TempDb;
let userId: string;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	userId = 'user-with-keys';
	// A password hash is irrelevant here; insert the user directly to keep the tests fast.
	await temp.db.insert(users).values({ id: userId, email: 'keys@example.com', name: 'Keys', passwordHash: 'x', role: 'user' });
});

afterEach(() => {
	temp.cleanup();
});

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('createApiKey', () => {
	it('returns a pk_ key once, with its id, name and shown prefix', async () => {
		const created = await createApiKey(temp.db, userId, 'CI');
		expect(created.key).toMatch(/^pk_[a-z2-7]{30,}$/);
		expect(created.name).toBe('CI');
		expect(created.prefix).toBe(created.key.slice(0, created.prefix.length));
		expect(created.prefix.length).toBeLessThan(created.key.length);
		expect(created.id).toEqual(expect.any(String));
		expect(created.createdAt).toBeInstanceOf(Date);
	});

	it('stores only the SHA-256 hash of the key', async () => {
		const created = await createApiKey(temp.db, userId, 'CI');
		const [row] = await temp.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
		expect(row.keyHash).toBe(sha256Hex(created.key));
		expect(row.userId).toBe(userId);
		expect(row.lastUsedAt).toBeNull();
		expect(row.revokedAt).toBeNull();

		const raw = await temp.db.$client.execute({ sql: 'SELECT * FROM api_keys WHERE id = ?', args: [created.id] });
		for (const value of Object.values(raw.rows[0])) {
			expect(String(value)).not.toContain(created.key);
		}
	});

	it('makes a different key each time', async () => {
		const a = await createApiKey(temp.db, userId, 'a');
		const b = await createApiKey(temp.db, userId, 'b');
		expect(a.key).not.toBe(b.key);
		expect(a.id).not.toBe(b.id);
	});
});

describe('authenticateApiKey', () => {
	it('returns the key user and stamps last_used_at', async () => {
		const created = await createApiKey(temp.db, userId, 'CI');
		const before = Date.now();

		const user = await authenticateApiKey(temp.db, created.key);

		expect(user).toEqual({
			id: userId,
			email: 'keys@example.com',
			name: 'Keys',
			role: 'user',
			disabled: false,
			theme: 'system',
			apiKeyId: created.id
		});
		const [row] = await temp.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
		expect(row.lastUsedAt).toBeInstanceOf(Date);
		expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
	});

	it('returns null for an unknown pk_ key', async () => {
		await createApiKey(temp.db, userId, 'CI');
		expect(await authenticateApiKey(temp.db, 'pk_' + 'a'.repeat(39))).toBeNull();
	});

	it('returns null for a string without the pk_ prefix, even the stored hash', async () => {
		const created = await createApiKey(temp.db, userId, 'CI');
		expect(await authenticateApiKey(temp.db, created.key.slice(3))).toBeNull();
		expect(await authenticateApiKey(temp.db, sha256Hex(created.key))).toBeNull();
		expect(await authenticateApiKey(temp.db, '')).toBeNull();
	});

	it('returns null for a key shortened to its shown prefix', async () => {
		const created = await createApiKey(temp.db, userId, 'CI');
		expect(await authenticateApiKey(temp.db, created.prefix)).toBeNull();
	});

	it('returns null for a revoked key, leaving last_used_at unset', async () => {
		const created = await createApiKey(temp.db, userId, 'CI');
		await temp.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, created.id));

		expect(await authenticateApiKey(temp.db, created.key)).toBeNull();
		const [row] = await temp.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
		expect(row.lastUsedAt).toBeNull();
	});

	it('returns null when the user is disabled', async () => {
		const created = await createApiKey(temp.db, userId, 'CI');
		await temp.db.update(users).set({ disabled: true }).where(eq(users.id, userId));
		expect(await authenticateApiKey(temp.db, created.key)).toBeNull();
	});

	it('keeps other keys of the user working when one is revoked', async () => {
		const revoked = await createApiKey(temp.db, userId, 'old');
		const kept = await createApiKey(temp.db, userId, 'new');
		await temp.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, revoked.id));
		expect((await authenticateApiKey(temp.db, kept.key))?.id).toBe(userId);
	});
});
