import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from './server';
import { signUp, type SessionClient } from './session';

/** A user signed up on a test server, signed in (`fetch`) and with an API key of their own (`api`). */
export interface ApiUser extends SessionClient {
	/** The user's id. */
	id: string;
	/** The user's API key, sent as `authorization: Bearer …`. */
	key: string;
	/** fetch with the API key (no cookie). */
	api(path: string, init?: RequestInit & { duplex?: 'half' }): Promise<Response>;
}

/**
 * Signs `email` up through the real form, then creates an API key named `keyName` for them in
 * `db`, the test server's database.
 */
export async function signUpWithKey(baseURL: string, db: Db, email: string, keyName = 'tests'): Promise<ApiUser> {
	const session = await signUp(baseURL, email);
	const [user] = await db.select().from(users).where(eq(users.email, email));
	const { key } = await createApiKey(db, user.id, keyName);
	return {
		...session,
		id: user.id,
		key,
		api(path, init = {}) {
			const headers = new Headers(init.headers);
			headers.set('authorization', `Bearer ${key}`);
			return fetch(`${baseURL}${path}`, { ...init, headers });
		}
	};
}

/** A built server, its database and one user with an API key, for the tests of a file. */
export interface ServerWithUser {
	server: TestServer;
	/** The server's database, open. */
	db: Db;
	user: ApiUser;
}

/**
 * Before the tests of the file: a built server started with `env`, its database opened, and
 * `email` signed up with an API key named `keyName`. After them: the database closed and the
 * server stopped. Read the fields inside the tests.
 */
export function useServerWithUser(options: { email: string; keyName: string; env?: Record<string, string> }): ServerWithUser {
	const app = {} as ServerWithUser;
	beforeAll(async () => {
		app.server = await startServer(options.env);
		app.db = await openDatabase({ url: app.server.databaseUrl });
		app.user = await signUpWithKey(app.server.baseURL, app.db, options.email, options.keyName);
	});
	afterAll(async () => {
		app.db?.$client.close();
		await app.server?.stop();
	});
	return app;
}
