/**
 * The task search index, kept up to date in batches. Writes only list the documents they change
 * (a task's title, a message's text) in `task_search_pending`, through triggers (migration 0013);
 * this module indexes that list: about once a second, and before any search, so that a search
 * always sees every write made before it. A batch of up to {@link SEARCH_BATCH_SIZE} documents is
 * one transaction: the search table then writes one new segment for many documents instead of one
 * per write.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db';

/** Documents indexed per transaction: a batch holds the thread for a few milliseconds at most. */
export const SEARCH_BATCH_SIZE = 50;

/** How often the pending documents are indexed when no search asks first. */
export const SEARCH_INDEX_INTERVAL_MS = 1000;

/** The pending documents of one batch, in key order (the same rows for every statement of it). */
const batch = sql`SELECT task_id, message_id FROM task_search_pending ORDER BY task_id, message_id LIMIT ${sql.raw(String(SEARCH_BATCH_SIZE))}`;

/**
 * Indexes one batch of pending documents, in one transaction: a title as it is, a message as the
 * text of its text parts (one still streaming waits for its final form, when it is listed again),
 * replacing what was indexed for them. Returns how many were taken off the list.
 */
async function indexBatch(db: Db): Promise<number> {
	const [, removed] = await db.batch([
		db.run(sql`WITH batch AS (${batch})
			INSERT INTO task_search_documents (task_id, message_id, content)
			SELECT b.task_id, '', t.title FROM batch b JOIN tasks t ON t.id = b.task_id WHERE b.message_id = ''
			UNION ALL
			SELECT b.task_id, b.message_id,
				(SELECT coalesce(group_concat(json_extract(value, '$.text'), ' '), '') FROM json_each(m.parts) WHERE json_extract(value, '$.type') = 'text')
			FROM batch b JOIN messages m ON m.id = b.message_id AND m.task_id = b.task_id
			WHERE b.message_id <> '' AND m.status <> 'streaming'`),
		db.run(sql`DELETE FROM task_search_pending WHERE (task_id, message_id) IN (${batch})`)
	]);
	return removed.rowsAffected;
}

/** Whether any document waits to be indexed (a read: no write lock is taken for nothing). */
async function hasPending(db: Db): Promise<boolean> {
	return (await db.all(sql`SELECT 1 FROM task_search_pending LIMIT 1`)).length > 0;
}

/** The indexing under way for each database, which later calls join. */
const running = new WeakMap<Db, Promise<void>>();

/**
 * Indexes every pending document, a batch at a time (other work runs between batches). A call
 * made while an indexing runs waits for it and then joins (or starts) the next one, so that what
 * was written before a call is indexed when it returns.
 */
export async function indexPendingSearch(db: Db): Promise<void> {
	const current = running.get(db);
	if (current) await current.catch(() => {});
	let run = running.get(db);
	if (!run) {
		const started = (async () => {
			while ((await hasPending(db)) && (await indexBatch(db)) === SEARCH_BATCH_SIZE) {
				await new Promise((resolve) => setImmediate(resolve));
			}
		})().finally(() => {
			if (running.get(db) === started) running.delete(db);
		});
		running.set(db, started);
		run = started;
	}
	await run;
}

let timer: ReturnType<typeof setInterval> | undefined;

/**
 * Indexes pending documents now (those a stop left) and then every {@link SEARCH_INDEX_INTERVAL_MS},
 * on a timer that does not keep the process alive. Starting it again does nothing.
 */
export function startSearchIndexing(db: Db): void {
	if (timer) return;
	const run = () =>
		void indexPendingSearch(db).catch((error: unknown) => console.error('[parley] indexing tasks for search failed:', error));
	run();
	timer = setInterval(run, SEARCH_INDEX_INTERVAL_MS);
	timer.unref?.();
}

/** Stops the timer of {@link startSearchIndexing}; what is pending stays listed for the next start. */
export function stopSearchIndexing(): void {
	clearInterval(timer);
	timer = undefined;
}
