import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { sessions, themes, users, type Theme } from '../db/schema';
import { AppError } from '../errors';
import { credentialsSchema } from './accounts';
import { hashPassword, verifyPassword } from './password';

/** A new password: the same rules as at sign-up. */
const newPasswordSchema = credentialsSchema.shape.password;

/**
 * Checks a user's current password; `unauthorized` naming `field` when it is wrong. Hashes even
 * when the account is gone, so timing tells nothing.
 */
export async function confirmPassword(db: Db, userId: string, password: unknown, field = 'currentPassword'): Promise<void> {
	if (typeof password !== 'string' || password === '') {
		throw new AppError('invalid_input', 'Enter your current password.', { field });
	}
	const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
	const valid = row ? await verifyPassword(row.passwordHash, password) : (await hashPassword(password), false);
	if (!valid) throw new AppError('unauthorized', 'That is not your current password.', { field });
}

/**
 * Changes a user's password after checking the current one. The session that asked stays signed
 * in; every other session of the user is signed out. The new password follows the sign-up rules
 * and must be confirmed (`confirmation`) and differ from the current one.
 */
export async function changePassword(
	db: Db,
	input: { userId: string; keepSessionId: string | null; currentPassword: unknown; newPassword: unknown; confirmation: unknown }
): Promise<void> {
	const parsed = newPasswordSchema.safeParse(input.newPassword);
	if (!parsed.success) {
		throw new AppError('invalid_input', parsed.error.issues[0].message.replace('your password', 'the new password'), {
			field: 'newPassword'
		});
	}
	if (input.confirmation !== parsed.data) {
		throw new AppError('invalid_input', 'The two new passwords do not match.', { field: 'confirmation' });
	}
	await confirmPassword(db, input.userId, input.currentPassword);
	if (input.currentPassword === parsed.data) {
		throw new AppError('invalid_input', 'Choose a new password different from the current one.', { field: 'newPassword' });
	}
	const passwordHash = await hashPassword(parsed.data);
	const others = input.keepSessionId
		? and(eq(sessions.userId, input.userId), ne(sessions.id, input.keepSessionId))
		: eq(sessions.userId, input.userId);
	await db.batch([db.update(users).set({ passwordHash }).where(eq(users.id, input.userId)), db.delete(sessions).where(others)]);
}

/** Signs a user out everywhere: ends every session (before the account goes). */
export async function endAllSessions(db: Db, userId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** The display name rules: optional, at most this many characters. */
export const DISPLAY_NAME_LIMIT = 80;

const displayNameSchema = z
	.string({ error: 'Enter a name.' })
	.transform((value) => value.replace(/\s+/g, ' ').trim())
	.pipe(z.string().max(DISPLAY_NAME_LIMIT, { error: `Use at most ${DISPLAY_NAME_LIMIT} characters for your name.` }));

/** Sets a user's display name (spaces tidied); an empty name removes it. Returns the stored name. */
export async function setDisplayName(db: Db, userId: string, name: unknown): Promise<string | null> {
	const parsed = displayNameSchema.safeParse(name ?? '');
	if (!parsed.success) throw new AppError('invalid_input', parsed.error.issues[0].message, { field: 'name' });
	const stored = parsed.data || null;
	await db.update(users).set({ name: stored }).where(eq(users.id, userId));
	return stored;
}

/** Sets how the app looks for a user, in every browser they use: `system`, `light` or `dark`. */
export async function setTheme(db: Db, userId: string, theme: unknown): Promise<Theme> {
	const parsed = z.enum(themes).safeParse(theme);
	if (!parsed.success) throw new AppError('invalid_input', 'Choose System, Light or Dark.', { field: 'theme' });
	await db.update(users).set({ theme: parsed.data }).where(eq(users.id, userId));
	return parsed.data;
}
