import { afterEach, beforeEach, vi } from 'vitest';
import { createAccount } from '../../src/lib/server/auth/accounts';
import type { Db } from '../../src/lib/server/db';
import type { Viewer } from '../../src/lib/server/services/viewer';
import { createTempDb, type TempDb } from './temp-db';

/** A fresh database with the demo agents and tools, and a signed-up user to ask as. */
export interface CallerDb {
	db: Db;
	viewer: Viewer;
}

/**
 * Before each test of the file: a fresh seeded database and an account (`email`) as the viewer.
 * After each: mocks restored, the database removed. Read the fields inside the tests.
 */
export function useCallerDb(email = 'caller@example.com'): CallerDb {
	let temp: TempDb | undefined;
	const caller = {} as CallerDb;
	beforeEach(async () => {
		temp = await createTempDb({ seed: true });
		const user = await createAccount(temp.db, { email, password: 'correct horse battery' });
		caller.db = temp.db;
		caller.viewer = { kind: 'user', id: user.id, role: user.role };
	});
	afterEach(() => {
		vi.restoreAllMocks();
		temp?.cleanup();
	});
	return caller;
}
