import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { sessions, users } from '../db/schema';
import { checkCredentials, createAccount } from './accounts';
import { changePassword, setDisplayName, setTheme } from './account-settings';

describe('account settings', () => {
	let temp: TempDb;
	let userId: string;
	const password = 'correct horse battery';
	const expiresAt = Math.floor(Date.now() / 1000) + 3600;

	beforeEach(async () => {
		temp = await createTempDb();
		userId = (await createAccount(temp.db, { email: 'ada@example.com', password })).id;
		await temp.db.insert(sessions).values([
			{ id: 'here', userId, expiresAt },
			{ id: 'elsewhere', userId, expiresAt }
		]);
	});
	afterEach(() => temp.cleanup());

	const change = (input: Partial<Parameters<typeof changePassword>[1]>) =>
		changePassword(temp.db, {
			userId,
			keepSessionId: 'here',
			currentPassword: password,
			newPassword: 'a new passphrase',
			confirmation: 'a new passphrase',
			...input
		});

	it('changes the password, keeps this session and signs the others out', async () => {
		await change({});
		const left = await temp.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
		expect(left).toEqual([{ id: 'here' }]);
		await expect(checkCredentials(temp.db, { email: 'ada@example.com', password })).rejects.toMatchObject({ code: 'unauthorized' });
		expect((await checkCredentials(temp.db, { email: 'ada@example.com', password: 'a new passphrase' })).id).toBe(userId);
	});

	it('refuses a wrong current password, a short or mismatched new one, and changes nothing', async () => {
		await expect(change({ currentPassword: 'wrong password' })).rejects.toMatchObject({ code: 'unauthorized', field: 'currentPassword' });
		await expect(change({ newPassword: 'short', confirmation: 'short' })).rejects.toMatchObject({ field: 'newPassword' });
		await expect(change({ confirmation: 'something else' })).rejects.toMatchObject({ field: 'confirmation' });
		await expect(change({ newPassword: password, confirmation: password })).rejects.toMatchObject({ field: 'newPassword' });
		expect(await temp.db.select().from(sessions)).toHaveLength(2);
		expect((await checkCredentials(temp.db, { email: 'ada@example.com', password })).id).toBe(userId);
	});

	it('stores a tidy display name, or none, and a known theme', async () => {
		expect(await setDisplayName(temp.db, userId, '  Ada   Lovelace ')).toBe('Ada Lovelace');
		expect(await setDisplayName(temp.db, userId, '   ')).toBeNull();
		await expect(setDisplayName(temp.db, userId, 'x'.repeat(81))).rejects.toMatchObject({ field: 'name' });
		expect(await setTheme(temp.db, userId, 'dark')).toBe('dark');
		await expect(setTheme(temp.db, userId, 'purple')).rejects.toMatchObject({ field: 'theme' });
		const [row] = await temp.db.select().from(users).where(eq(users.id, userId));
		expect(row).toMatchObject({ name: null, theme: 'dark' });
	});
});
