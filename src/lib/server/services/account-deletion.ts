import { and, eq, exists, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { files, knowledgeSources, tasks, users } from '../db/schema';
import { AppError } from '../errors';
import { removeFiles, removeTaskFiles } from '../files/file-cleanup';
import { removeTask } from './tasks';
import type { FileStorage } from '../files/storage';

/**
 * Deletes a user's account and everything of theirs: answers in progress are stopped, then each
 * task goes with its messages, its files and whatever follows it (as a task deleted by hand), then
 * their remaining uploads with their stored bytes (unless another file has the same content), and
 * last the user row, which takes their sessions, API keys and share links with it. A file a
 * knowledge source was read from stays with the installation (no owner), so the agent keeps its
 * knowledge. The last enabled admin cannot delete their account (`conflict`).
 */
export async function deleteAccount(
	db: Db,
	userId: string,
	options: {
		/** Stops the answer in progress on a task, if any, before it goes (the runtime's `stopRun`). */
		stopRun?: (taskId: string) => Promise<unknown>;
		storage?: FileStorage;
	} = {}
): Promise<void> {
	const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
	if (!user) throw new AppError('not_found', 'This account no longer exists.');
	if (user.role === 'admin') {
		const [{ others }] = await db
			.select({ others: sql<number>`count(*)`.mapWith(Number) })
			.from(users)
			.where(and(eq(users.role, 'admin'), eq(users.disabled, false), sql`${users.id} <> ${userId}`));
		if (others === 0) {
			throw new AppError('conflict', 'You are the only admin: make someone else an admin before deleting your account.');
		}
	}
	const owned = await db.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, userId));
	for (const { id } of owned) {
		await options.stopRun?.(id);
		await removeTaskFiles(db, id, options);
		await removeTask(db, id);
	}
	const usedByKnowledge = exists(
		db.select({ id: knowledgeSources.id }).from(knowledgeSources).where(eq(knowledgeSources.fileId, files.id))
	);
	await db
		.update(files)
		.set({ userId: null })
		.where(and(eq(files.userId, userId), usedByKnowledge));
	const uploads = await db
		.select({ id: files.id, storageKey: files.storageKey, sha256: files.sha256 })
		.from(files)
		.where(eq(files.userId, userId));
	await removeFiles(db, uploads, options.storage);
	await db.delete(users).where(eq(users.id, userId));
}
