import { and, eq, inArray, isNotNull, isNull, lt, notExists, or } from 'drizzle-orm';
import { getConfig } from '../config';
import type { Db } from '../db';
import { files, knowledgeSources } from '../db/schema';
import { getFileStorage } from './get-file-storage';
import type { FileStorage } from './storage';

/** The columns of a file row that removing it needs. */
type RemovableFile = Pick<typeof files.$inferSelect, 'id' | 'storageKey' | 'sha256'>;

const removableColumns = { id: files.id, storageKey: files.storageKey, sha256: files.sha256 };

/** Rows are deleted this many at a time (SQLite's limit on bound parameters is far above). */
const BATCH = 500;

/** The operations under way on stored bytes, by SHA-256, one at a time (see {@link withContentLock}). */
const contentLocks = new Map<string, Promise<unknown>>();

/**
 * Runs `work` once every earlier `work` for the same content (SHA-256) has ended. An upload that
 * stores bytes and records their row, and a clean-up that finds no row left and removes the
 * bytes, must not interleave, or the new row would point at removed bytes. This holds within one
 * process; processes that share storage can still race in that instant.
 */
export async function withContentLock<T>(sha256: string, work: () => Promise<T>): Promise<T> {
	const before = contentLocks.get(sha256) ?? Promise.resolve();
	const mine = before.catch(() => undefined).then(work);
	const settled = mine.catch(() => undefined);
	contentLocks.set(sha256, settled);
	try {
		return await mine;
	} finally {
		if (contentLocks.get(sha256) === settled) contentLocks.delete(sha256);
	}
}

/** A file that a knowledge source was read from: kept, whatever else holds. */
const usedByKnowledge = (db: Db) =>
	db.select({ id: knowledgeSources.id }).from(knowledgeSources).where(eq(knowledgeSources.fileId, files.id));

/**
 * Removes file rows and, for each, its stored bytes when no other file row has the same content
 * (storage is content-addressed, so one copy can back many rows). Bytes that cannot be removed
 * are logged and left; their rows are gone either way. Returns how many rows were removed.
 */
export async function removeFiles(db: Db, rows: RemovableFile[], storage: FileStorage = getFileStorage()): Promise<number> {
	for (let start = 0; start < rows.length; start += BATCH) {
		const ids = rows.slice(start, start + BATCH).map((row) => row.id);
		await db.delete(files).where(inArray(files.id, ids));
	}
	const contents = new Map(rows.map((row) => [row.storageKey, row.sha256]));
	for (const [storageKey, sha256] of contents) {
		await withContentLock(sha256, async () => {
			const [other] = await db.select({ id: files.id }).from(files).where(eq(files.storageKey, storageKey)).limit(1);
			if (other) return;
			await storage.delete(storageKey).catch((error: unknown) => {
				console.error(`[parley] could not remove the stored bytes ${storageKey}:`, error);
			});
		});
	}
	return rows.length;
}

/**
 * Removes the files of a task that is being deleted (call it before the task row goes: the
 * database then unlinks them). A file that a knowledge source uses is kept. Returns how many
 * were removed.
 */
export async function removeTaskFiles(db: Db, taskId: string, options: { storage?: FileStorage } = {}): Promise<number> {
	const rows = await db
		.select(removableColumns)
		.from(files)
		.where(and(eq(files.taskId, taskId), notExists(usedByKnowledge(db))));
	return removeFiles(db, rows, options.storage);
}

/**
 * Removes uploads that belong to no task and were made more than `ORPHAN_UPLOAD_HOURS` ago:
 * files a person or visitor uploaded and never sent, and files of tasks deleted since. Files of
 * the installation itself (no owner, such as the demo shop's pictures) and files a knowledge
 * source was read from are kept. Returns how many were removed.
 */
export async function sweepOrphanUploads(db: Db, options: { storage?: FileStorage; now?: Date; hours?: number } = {}): Promise<number> {
	const hours = options.hours ?? getConfig().ORPHAN_UPLOAD_HOURS;
	const cutoff = new Date((options.now ?? new Date()).getTime() - hours * 60 * 60 * 1000);
	const rows = await db
		.select(removableColumns)
		.from(files)
		.where(
			and(
				isNull(files.taskId),
				or(isNotNull(files.userId), isNotNull(files.anonymousId)),
				lt(files.createdAt, cutoff),
				notExists(usedByKnowledge(db))
			)
		);
	return removeFiles(db, rows, options.storage);
}

/** How often the sweep runs: hourly. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

let sweeper: ReturnType<typeof setInterval> | undefined;

/**
 * Sweeps orphan uploads now and then every hour ({@link sweepOrphanUploads}), on a timer that
 * does not keep the process alive. Starting it again does nothing.
 */
export function startOrphanUploadSweep(db: Db): void {
	if (sweeper) return;
	const sweep = () =>
		void sweepOrphanUploads(db)
			.then((removed) => {
				if (removed > 0) console.log(`[parley] removed ${removed} upload(s) that belong to no task`);
			})
			.catch((error: unknown) => console.error('[parley] sweeping uploads that belong to no task failed:', error));
	sweep();
	sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
	sweeper.unref?.();
}
