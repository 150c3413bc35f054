import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeS3, S3RVER_CREDENTIALS, type FakeS3 } from '../../../../tests/support/fake-s3';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, files, knowledgeSources, users } from '../db/schema';
import { newId } from '../ids';
import { createTask, deleteTask } from '../services/tasks';
import type { Viewer } from '../services/viewer';
import { ExtractionQueue } from './extract/extraction-queue';
import { removeTaskFiles, sweepOrphanUploads, withContentLock } from './file-cleanup';
import { saveUpload, type FileRecord } from './file-records';
import { LocalFileStorage } from './local-storage';
import { S3FileStorage } from './s3-storage';
import type { FileStorage } from './storage';

const alice: Viewer = { kind: 'user', id: 'user-alice', role: 'user' };
const HOUR = 60 * 60 * 1000;

let s3: FakeS3;
beforeAll(async () => {
	s3 = await startFakeS3();
});
afterAll(async () => {
	await s3?.stop();
});

const drivers: [string, () => { storage: FileStorage; cleanup: () => void }][] = [
	[
		'local disk',
		() => {
			const folder = mkdtempSync(join(tmpdir(), 'parley-cleanup-'));
			return { storage: new LocalFileStorage(folder), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
		}
	],
	[
		'S3',
		() => ({
			storage: new S3FileStorage({
				bucket: s3.bucket,
				region: 'us-east-1',
				endpoint: s3.endpoint,
				forcePathStyle: true,
				credentials: S3RVER_CREDENTIALS,
				prefix: `cleanup-${newId()}`
			}),
			cleanup: () => {}
		})
	]
];

describe.each(drivers)('removing files that are no longer used (%s)', (_, driver) => {
	let temp: TempDb;
	let storage: FileStorage;
	let cleanupStorage: () => void;
	let agentId: number;
	/** Nothing is read: these tests are about storage. */
	const extraction = new ExtractionQueue({ extract: async () => undefined });

	beforeEach(async () => {
		temp = await createTempDb();
		({ storage, cleanup: cleanupStorage } = driver());
		await temp.db.insert(users).values({ id: 'user-alice', email: 'alice@example.com', passwordHash: 'x' });
		[{ id: agentId }] = await temp.db
			.insert(agents)
			.values({ slug: 'helper', name: 'Helper', model: 'mock:offline', systemPrompt: '' })
			.returning({ id: agents.id });
	});

	afterEach(async () => {
		await extraction.idle();
		temp.cleanup();
		cleanupStorage();
	});

	async function upload(content: string, name: string, taskId?: string): Promise<FileRecord> {
		return saveUpload(temp.db, { viewer: alice, taskId, file: new File([content], name) }, { storage, extraction });
	}

	/** Makes a file look uploaded `hours` ago. */
	async function age(file: FileRecord, hours: number): Promise<void> {
		await temp.db
			.update(files)
			.set({ createdAt: new Date(Date.now() - hours * HOUR) })
			.where(eq(files.id, file.id));
	}

	async function exists(file: FileRecord): Promise<{ row: boolean; bytes: boolean }> {
		const [row] = await temp.db.select({ id: files.id }).from(files).where(eq(files.id, file.id));
		const bytes = await storage.get(file.storageKey).then(
			() => true,
			() => false
		);
		return { row: row !== undefined, bytes };
	}

	it('removes an upload that belongs to no task after ORPHAN_UPLOAD_HOURS, and keeps the rest', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId });
		const orphan = await upload('never sent', 'orphan.txt');
		const fresh = await upload('just uploaded', 'fresh.txt');
		const attached = await upload('part of a task', 'attached.txt', task.id);
		const knowledge = await upload('an agent reads this', 'knowledge.txt');
		await temp.db.insert(knowledgeSources).values({ id: newId(), agentId, fileId: knowledge.id, kind: 'document', name: 'k' });
		// A file of the installation itself (no owner), like the demo shop's pictures.
		const [installation] = await temp.db
			.insert(files)
			.values({
				id: newId(),
				name: 'p.png',
				mimeType: 'image/png',
				size: 4,
				storageKey: await storage.put(new Uint8Array([1, 2, 3, 4])),
				sha256: 'x'
			})
			.returning();
		for (const file of [orphan, attached, knowledge, installation]) await age(file, 25);
		await age(fresh, 23);

		expect(await sweepOrphanUploads(temp.db, { storage, hours: 24 })).toBe(1);
		expect(await exists(orphan)).toEqual({ row: false, bytes: false });
		for (const kept of [fresh, attached, knowledge, installation]) expect(await exists(kept)).toEqual({ row: true, bytes: true });
		// An hour later the fresh one is 24 hours old too.
		expect(await sweepOrphanUploads(temp.db, { storage, hours: 24, now: new Date(Date.now() + 2 * HOUR) })).toBe(1);
		expect(await exists(fresh)).toEqual({ row: false, bytes: false });
	});

	it('removes the files of a deleted task, and keeps bytes another file still has', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId });
		const report = await upload('the report', 'report.txt', task.id);
		const shared = await upload('the same bytes', 'shared.txt', task.id);
		const copy = await upload('the same bytes', 'copy.txt');
		expect(copy.storageKey).toBe(shared.storageKey);

		expect(await removeTaskFiles(temp.db, task.id, { storage })).toBe(2);
		expect(await exists(report)).toEqual({ row: false, bytes: false });
		expect(await exists(shared)).toEqual({ row: false, bytes: true });
		expect(await exists(copy)).toEqual({ row: true, bytes: true });

		// Once the last file with those bytes goes, so do the bytes.
		await age(copy, 48);
		expect(await sweepOrphanUploads(temp.db, { storage, hours: 24 })).toBe(1);
		expect(await exists(copy)).toEqual({ row: false, bytes: false });
		expect(await removeTaskFiles(temp.db, task.id, { storage })).toBe(0);
	});

	it('deleting a task removes its files, but not a file an agent reads as knowledge', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId });
		const report = await upload('a report', 'report.txt', task.id);
		const knowledge = await upload('read by an agent', 'knowledge.txt', task.id);
		await temp.db.insert(knowledgeSources).values({ id: newId(), agentId, fileId: knowledge.id, kind: 'document', name: 'k' });
		await deleteTask(temp.db, alice, task.id);
		const left = await temp.db.select({ id: files.id, taskId: files.taskId }).from(files);
		expect(left).toEqual([{ id: knowledge.id, taskId: null }]);
		expect(left.map((row) => row.id)).not.toContain(report.id);
	});
});

describe('withContentLock', () => {
	it('runs the work on the same content one at a time, in order, and other content alongside', async () => {
		const order: string[] = [];
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const first = withContentLock('a', async () => {
			order.push('a1 start');
			await gate;
			order.push('a1 end');
		});
		const second = withContentLock('a', async () => {
			order.push('a2');
		});
		const other = withContentLock('b', async () => {
			order.push('b');
		});
		await other;
		expect(order).toEqual(['a1 start', 'b']);
		release();
		await Promise.all([first, second]);
		expect(order).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
	});

	it('goes on after a failed work', async () => {
		await expect(withContentLock('c', () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
		expect(await withContentLock('c', async () => 'next')).toBe('next');
	});
});
