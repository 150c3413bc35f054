import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { newId } from '../ids';
import { hashPassword, verifyPassword } from './password';
import type { SessionUser } from './lucia';

/** The credentials the sign-up and log-in forms take. */
export const credentialsSchema = z.object({
	email: z
		.string({ message: 'Enter your email address.' })
		.trim()
		.toLowerCase()
		.pipe(z.email({ message: 'Enter a valid email address.' }).max(254, { message: 'That email is too long.' })),
	password: z
		.string({ message: 'Enter a password.' })
		.min(8, { message: 'Use at least 8 characters for your password.' })
		.max(256, { message: 'Use at most 256 characters for your password.' })
});

/** Parses credentials, throwing `invalid_input` naming the first bad field. */
export function parseCredentials(input: unknown): z.infer<typeof credentialsSchema> {
	const result = credentialsSchema.safeParse(input);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	throw new AppError('invalid_input', issue.message, { field: String(issue.path[0] ?? 'email') });
}

function toSessionUser(row: typeof users.$inferSelect): SessionUser {
	return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled, theme: row.theme };
}

/**
 * Creates an account. The first account of an installation becomes `admin`, decided inside the
 * insert itself so that two simultaneous first sign-ups cannot both become admin.
 */
export async function createAccount(
	db: Db,
	input: { email: string; password: string; name?: string | null; role?: 'admin' | 'user' }
): Promise<SessionUser> {
	const { email, password } = parseCredentials(input);
	const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
	if (existing.length > 0) {
		throw new AppError('conflict', 'An account with this email already exists. Log in instead.', {
			field: 'email'
		});
	}
	const id = newId();
	const passwordHash = await hashPassword(password);
	const now = Date.now();
	const role = input.role ? sql`${input.role}` : sql`(CASE WHEN EXISTS (SELECT 1 FROM ${users}) THEN 'user' ELSE 'admin' END)`;
	try {
		await db.run(sql`INSERT INTO ${users} (id, email, name, password_hash, role, disabled, created_at, updated_at)
			VALUES (${id}, ${email}, ${input.name ?? null}, ${passwordHash}, ${role}, 0, ${now}, ${now})`);
	} catch (error) {
		if (String(error).includes('UNIQUE')) {
			throw new AppError('conflict', 'An account with this email already exists. Log in instead.', {
				field: 'email'
			});
		}
		throw error;
	}
	const [row] = await db.select().from(users).where(eq(users.id, id));
	return toSessionUser(row);
}

/** Checks an email and password; the same message for an unknown email and a wrong password. */
export async function checkCredentials(db: Db, input: unknown): Promise<SessionUser> {
	const { email, password } = parseCredentials(input);
	const [row] = await db.select().from(users).where(eq(users.email, email));
	// Hash even when the account is unknown, so timing does not reveal which emails exist.
	const valid = row ? await verifyPassword(row.passwordHash, password) : (await hashPassword(password), false);
	if (!row || !valid) throw new AppError('unauthorized', 'Wrong email or password.', { field: 'password' });
	if (row.disabled) throw new AppError('forbidden', 'This account is disabled. Ask an admin to enable it.');
	return toSessionUser(row);
}
