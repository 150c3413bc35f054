import { DrizzleSQLiteAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia } from 'lucia';
import type { Db } from '../db';
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

function createLucia(db: Db) {
	return new Lucia(new DrizzleSQLiteAdapter(db, sessions, users), {
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
