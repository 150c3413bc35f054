import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { authenticateApiKey, createApiKey } from '../auth/api-keys';
import { agents, sessions, tasks, users } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import { listAllApiKeys, listUsers, setUserDisabled, setUserRole } from './admin-users';

let temp: TempDb;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	await temp.db.insert(users).values([
		{ id: 'root', email: 'root@example.com', passwordHash: 'x', role: 'admin', createdAt: new Date(1_000) },
		{ id: 'alice', email: 'alice@example.com', passwordHash: 'x', role: 'user', createdAt: new Date(2_000) },
		{ id: 'bob', email: 'bob@example.com', passwordHash: 'x', role: 'user', createdAt: new Date(3_000) }
	]);
});

afterEach(() => temp.cleanup());

async function expectAppError(promise: Promise<unknown>, code: AppErrorCode): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(AppError);
	expect((error as AppError).code).toBe(code);
	return error as AppError;
}

const roleOf = async (id: string) => (await temp.db.select().from(users).where(eq(users.id, id)))[0];

describe('listUsers', () => {
	it('lists every user newest first with their task count', async () => {
		const [{ id: agentId }] = await temp.db.select({ id: agents.id }).from(agents).limit(1);
		await temp.db.insert(tasks).values([
			{ id: 't1', agentId, userId: 'alice' },
			{ id: 't2', agentId, userId: 'alice' },
			{ id: 't3', agentId, anonymousId: 'anon-123456' }
		]);
		const list = await listUsers(temp.db);
		expect(list.map((user) => [user.email, user.role, user.disabled, user.taskCount])).toEqual([
			['bob@example.com', 'user', false, 0],
			['alice@example.com', 'user', false, 2],
			['root@example.com', 'admin', false, 0]
		]);
		expect(list[0].createdAt).toBeInstanceOf(Date);
	});
});

describe('setUserRole', () => {
	it('promotes and demotes another user', async () => {
		await setUserRole(temp.db, 'root', 'alice', 'admin');
		expect((await roleOf('alice')).role).toBe('admin');
		await setUserRole(temp.db, 'root', 'alice', 'user');
		expect((await roleOf('alice')).role).toBe('user');
	});

	it('refuses an admin demoting themselves', async () => {
		await setUserRole(temp.db, 'root', 'alice', 'admin');
		const error = await expectAppError(setUserRole(temp.db, 'root', 'root', 'user'), 'forbidden');
		expect(error.message).toMatch(/your own admin role/);
		expect((await roleOf('root')).role).toBe('admin');
	});

	it('refuses demoting the last enabled admin', async () => {
		// alice is an admin who is disabled, so root remains the last one who can act.
		await temp.db.update(users).set({ role: 'admin', disabled: true }).where(eq(users.id, 'alice'));
		const error = await expectAppError(setUserRole(temp.db, 'alice', 'root', 'user'), 'conflict');
		expect(error.message).toMatch(/last admin/);
		expect((await roleOf('root')).role).toBe('admin');
	});

	it('answers not_found for an unknown user', async () => {
		await expectAppError(setUserRole(temp.db, 'root', 'nobody', 'admin'), 'not_found');
	});
});

describe('setUserDisabled', () => {
	it('disables a user, ends their sessions and stops their keys; enabling lets keys work again', async () => {
		await temp.db.insert(sessions).values([
			{ id: 's-alice', userId: 'alice', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
			{ id: 's-bob', userId: 'bob', expiresAt: Math.floor(Date.now() / 1000) + 3600 }
		]);
		const key = await createApiKey(temp.db, 'alice', 'ci');

		await setUserDisabled(temp.db, 'root', 'alice', true);

		expect((await roleOf('alice')).disabled).toBe(true);
		const left = await temp.db.select({ id: sessions.id }).from(sessions);
		expect(left.map((session) => session.id)).toEqual(['s-bob']);
		expect(await authenticateApiKey(temp.db, key.key)).toBeNull();

		await setUserDisabled(temp.db, 'root', 'alice', false);
		expect((await roleOf('alice')).disabled).toBe(false);
		expect((await authenticateApiKey(temp.db, key.key))?.id).toBe('alice');
	});

	it('refuses an admin disabling themselves', async () => {
		const error = await expectAppError(setUserDisabled(temp.db, 'root', 'root', true), 'forbidden');
		expect(error.message).toMatch(/your own account/);
		expect((await roleOf('root')).disabled).toBe(false);
	});
});

describe('listAllApiKeys', () => {
	it("lists every user's keys with the owner's email, never the key", async () => {
		const a = await createApiKey(temp.db, 'alice', 'alice key');
		await createApiKey(temp.db, 'bob', 'bob key');
		const list = await listAllApiKeys(temp.db);
		expect(list.map((key) => [key.userEmail, key.name]).sort()).toEqual([
			['alice@example.com', 'alice key'],
			['bob@example.com', 'bob key']
		]);
		expect(JSON.stringify(list)).not.toContain(a.key);
	});
});
