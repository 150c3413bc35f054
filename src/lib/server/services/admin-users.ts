import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { apiKeys, sessions, users, type UserRole } from '../db/schema';
import { AppError } from '../errors';

/** A person as the admin user list shows them. */
export interface AdminUserSummary {
	id: string;
	email: string;
	name: string | null;
	role: UserRole;
	disabled: boolean;
	createdAt: Date;
	taskCount: number;
}

/** Every user with how many tasks they own, newest account first. */
export async function listUsers(db: Db): Promise<AdminUserSummary[]> {
	const rows = await db
		.select({
			id: users.id,
			email: users.email,
			name: users.name,
			role: users.role,
			disabled: users.disabled,
			createdAt: users.createdAt,
			// Spelled out: Drizzle leaves columns unqualified in a one-table select, which a subquery would misread.
			taskCount: sql<number>`(SELECT count(*) FROM "tasks" WHERE "tasks"."user_id" = "users"."id")`
		})
		.from(users)
		.orderBy(desc(users.createdAt), desc(users.id));
	return rows.map((row) => ({ ...row, taskCount: Number(row.taskCount) }));
}

async function requireUserRow(db: Db, userId: string) {
	const [row] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId));
	if (!row) throw new AppError('not_found', 'No such user.', { field: 'userId' });
	return row;
}

/**
 * Gives a user a role. An admin cannot demote themselves, and the last enabled admin cannot be
 * demoted (the check and the update are one statement, so two admins demoting each other at
 * once cannot leave none).
 */
export async function setUserRole(db: Db, actorId: string, userId: string, role: UserRole): Promise<void> {
	const target = await requireUserRow(db, userId);
	if (target.role === role) return;
	if (role !== 'admin' && userId === actorId) {
		throw new AppError('forbidden', 'You cannot remove your own admin role. Ask another admin to do it.', {
			field: 'userId'
		});
	}
	const otherEnabledAdmins = sql`(SELECT count(*) FROM ${users} WHERE ${users.role} = 'admin' AND ${users.disabled} = 0 AND ${users.id} <> ${userId})`;
	const rows = await db
		.update(users)
		.set({ role })
		.where(and(eq(users.id, userId), role === 'admin' ? undefined : sql`${otherEnabledAdmins} > 0`))
		.returning({ id: users.id });
	if (rows.length === 0) {
		throw new AppError('conflict', 'This is the last admin: make someone else an admin first.', { field: 'userId' });
	}
}

/**
 * Disables or enables a user. Disabling ends all of their sessions at once; their API keys stop
 * working because keys of disabled users are refused. An admin cannot disable themselves.
 */
export async function setUserDisabled(db: Db, actorId: string, userId: string, disabled: boolean): Promise<void> {
	await requireUserRow(db, userId);
	if (disabled && userId === actorId) {
		throw new AppError('forbidden', 'You cannot disable your own account.', { field: 'userId' });
	}
	if (!disabled) {
		await db.update(users).set({ disabled: false }).where(eq(users.id, userId));
		return;
	}
	await db.batch([
		db
			.update(users)
			.set({ disabled: true })
			.where(and(eq(users.id, userId), ne(users.id, actorId))),
		db.delete(sessions).where(eq(sessions.userId, userId))
	]);
}

/** An API key as the admin list shows it, with its owner; never the key itself. */
export interface AdminApiKeySummary {
	id: string;
	name: string;
	prefix: string;
	userId: string;
	userEmail: string;
	createdAt: Date;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

/** Every user's API keys, newest first. */
export function listAllApiKeys(db: Db): Promise<AdminApiKeySummary[]> {
	return db
		.select({
			id: apiKeys.id,
			name: apiKeys.name,
			prefix: apiKeys.prefix,
			userId: apiKeys.userId,
			userEmail: users.email,
			createdAt: apiKeys.createdAt,
			lastUsedAt: apiKeys.lastUsedAt,
			revokedAt: apiKeys.revokedAt
		})
		.from(apiKeys)
		.innerJoin(users, eq(users.id, apiKeys.userId))
		.orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Throws `not_found` unless the user exists (before making a key for them). */
export async function assertUserExists(db: Db, userId: string): Promise<void> {
	await requireUserRow(db, userId);
}
