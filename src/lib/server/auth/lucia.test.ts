import { DrizzleSQLiteAdapter } from '@lucia-auth/adapter-drizzle';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { sessions, users } from '../db/schema';
import { createAccount } from './accounts';
import { getLucia, SessionAdapter } from './lucia';

let temp: TempDb;

beforeEach(async () => {
	temp = await createTempDb();
});

afterEach(() => {
	temp.cleanup();
});

describe('SessionAdapter', () => {
	it('reads a session and its user as lucia’s own adapter does, with the attributes lucia is told about', async () => {
		const user = await createAccount(temp.db, { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' });
		const session = await getLucia(temp.db).createSession(user.id, {});

		const [ours, ourUser] = await new SessionAdapter(temp.db).getSessionAndUser(session.id);
		const [theirs, theirUser] = await new DrizzleSQLiteAdapter(temp.db, sessions, users).getSessionAndUser(session.id);

		expect(ours).toStrictEqual({ ...theirs, attributes: {} });
		expect(ourUser?.id).toBe(theirUser?.id);
		expect(ourUser?.attributes).toStrictEqual({
			email: 'ada@example.com',
			name: 'Ada',
			role: theirUser?.attributes.role,
			disabled: false,
			theme: 'system'
		});
		// The password hash is not read.
		expect(Object.keys(ourUser?.attributes ?? {})).not.toContain('passwordHash');
	});

	it('finds nothing for an unknown session, and lucia refuses it', async () => {
		expect(await new SessionAdapter(temp.db).getSessionAndUser('no-such-session')).toStrictEqual([null, null]);
		expect(await getLucia(temp.db).validateSession('no-such-session')).toStrictEqual({ session: null, user: null });
	});

	it('lets lucia validate a live session and refuse an expired one', async () => {
		const user = await createAccount(temp.db, { email: 'bob@example.com', password: 'correct horse battery' });
		const lucia = getLucia(temp.db);
		const live = await lucia.createSession(user.id, {});
		expect((await lucia.validateSession(live.id)).user).toMatchObject({ id: user.id, email: 'bob@example.com' });

		await temp.db.update(sessions).set({ expiresAt: Math.floor(Date.now() / 1000) - 60 });
		expect(await lucia.validateSession(live.id)).toStrictEqual({ session: null, user: null });
	});
});
