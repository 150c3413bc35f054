import { DrizzleSQLiteAdapter } from '@lucia-auth/adapter-drizzle';
import { eq, sql } from 'drizzle-orm';
import { Lucia, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { Db } from '../db';
import { prepared } from '../db/prepared';
import { sessions, users, type Theme, type UserRole } from '../db/schema';

/** The signed-in person as the app sees it. */
export interface SessionUser {
	id: string;
	email: string;
	name: string | null;
	role: UserRole;
	disabled: boolean;
	/** How the app looks for them, in every browser: `system` follows the device. */
	theme: Theme;
}

/**
 * lucia's Drizzle adapter, reading a session and its user in one query (the adapter runs two, the
 * second with every column of the user, its password hash included): this runs on every request.
 */
export class SessionAdapter extends DrizzleSQLiteAdapter {
	constructor(private readonly app: Db) {
		super(app, sessions, users);
	}

	override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
		const row = await prepared(this.app, sessionWithUser).get({ sessionId });
		if (!row) return [null, null];
		const { userId, expiresAt, ...attributes } = row;
		// As the adapter reads them: the expiry is stored in seconds.
		return [
			{ id: sessionId, userId, expiresAt: new Date(expiresAt * 1000), attributes: {} },
			{ id: userId, attributes }
		];
	}
}

const sessionWithUser = (db: Db) =>
	db
		.select({
			userId: sessions.userId,
			expiresAt: sessions.expiresAt,
			email: users.email,
			name: users.name,
			role: users.role,
			disabled: users.disabled,
			theme: users.theme
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sql.placeholder('sessionId')))
		.prepare();

function createLucia(db: Db) {
	return new Lucia(new SessionAdapter(db), {
		sessionCookie: {
			name: 'parley_session',
			// `secure` is decided per request (see handle.ts): https in production, plain http in tests.
			attributes: { secure: false, sameSite: 'lax' }
		},
		getUserAttributes: (attributes): Omit<SessionUser, 'id'> => ({
			email: attributes.email,
			name: attributes.name,
			role: attributes.role,
			disabled: Boolean(attributes.disabled),
			theme: attributes.theme ?? 'system'
		})
	});
}

declare module 'lucia' {
	interface Register {
		Lucia: ReturnType<typeof createLucia>;
		DatabaseUserAttributes: {
			email: string;
			name: string | null;
			role: UserRole;
			disabled: boolean | number;
			theme: Theme;
		};
	}
}

const instances = new WeakMap<Db, ReturnType<typeof createLucia>>();

/** The lucia instance bound to a database. Only code under `auth/` may use it. */
export function getLucia(db: Db): ReturnType<typeof createLucia> {
	let lucia = instances.get(db);
	if (!lucia) {
		lucia = createLucia(db);
		instances.set(db, lucia);
	}
	return lucia;
}
