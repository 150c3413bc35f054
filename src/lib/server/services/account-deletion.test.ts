import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { createApiKey } from '../auth/api-keys';
import { agents, apiKeys, files, knowledgeSources, messages, shareLinks, tasks, users } from '../db/schema';
import { ExtractionQueue } from '../files/extract/extraction-queue';
import { saveUpload, type FileRecord } from '../files/file-records';
import { LocalFileStorage } from '../files/local-storage';
import { newId } from '../ids';
import { deleteAccount } from './account-deletion';
import { appendMessage } from './messages';
import { shareTask } from './share-links';
import { createTask } from './tasks';
import type { Viewer } from './viewer';

describe('deleteAccount', () => {
	let temp: TempDb;
	let folder: string;
	let storage: LocalFileStorage;
	let agentId: number;
	const extraction = new ExtractionQueue({ extract: async () => undefined });
	const limits = { links: 10, snapshotBytes: 1_000_000 };

	beforeEach(async () => {
		temp = await createTempDb();
		folder = mkdtempSync(join(tmpdir(), 'parley-account-'));
		storage = new LocalFileStorage(folder);
		[{ id: agentId }] = await temp.db
			.insert(agents)
			.values({ slug: 'helper', name: 'Helper', model: 'mock:offline' })
			.returning({ id: agents.id });
	});

	afterEach(async () => {
		await extraction.idle();
		temp.cleanup();
		rmSync(folder, { recursive: true, force: true });
	});

	const upload = (viewer: Viewer, content: string, taskId?: string) =>
		saveUpload(temp.db, { viewer, taskId, file: new File([content], 'notes.txt') }, { storage, extraction });
	const bytesExist = (file: FileRecord) =>
		storage.get(file.storageKey).then(
			() => true,
			() => false
		);

	it('removes the tasks, messages, files and their bytes, keys and links of the account, and nobody else’s', async () => {
		await createAccount(temp.db, { email: 'admin@example.com', password: 'correct horse battery' });
		const ada = await createAccount(temp.db, { email: 'ada@example.com', password: 'correct horse battery' });
		const bob = await createAccount(temp.db, { email: 'bob@example.com', password: 'correct horse battery' });
		const adaViewer: Viewer = { kind: 'user', id: ada.id, role: 'user' };
		const bobViewer: Viewer = { kind: 'user', id: bob.id, role: 'user' };
		const task = await createTask(temp.db, { viewer: adaViewer, agentId });
		await appendMessage(temp.db, { taskId: task.id, role: 'user', parts: [{ type: 'text', text: 'hello' }] });
		await shareTask(temp.db, ada.id, task.id, { limits });
		await createApiKey(temp.db, ada.id, 'script');
		const attached = await upload(adaViewer, 'in a task', task.id);
		const loose = await upload(adaViewer, 'never sent');
		const sameAsBobs = await upload(adaViewer, 'bob has these bytes too');
		const knowledge = await upload(adaViewer, 'an agent reads this');
		await temp.db.insert(knowledgeSources).values({ id: newId(), agentId, fileId: knowledge.id, kind: 'document', name: 'k' });
		const bobTask = await createTask(temp.db, { viewer: bobViewer, agentId });
		const bobsFile = await upload(bobViewer, 'bob has these bytes too', bobTask.id);

		const stopped: string[] = [];
		await deleteAccount(temp.db, ada.id, { storage, stopRun: async (id) => stopped.push(id) });

		expect(stopped).toEqual([task.id]);
		expect(await temp.db.select().from(users).where(eq(users.id, ada.id))).toEqual([]);
		expect(await temp.db.select().from(tasks).where(eq(tasks.userId, ada.id))).toEqual([]);
		expect(await temp.db.select().from(messages).where(eq(messages.taskId, task.id))).toEqual([]);
		expect(await temp.db.select().from(shareLinks)).toEqual([]);
		expect(await temp.db.select().from(apiKeys)).toEqual([]);
		for (const gone of [attached, loose]) {
			expect(await temp.db.select().from(files).where(eq(files.id, gone.id))).toEqual([]);
			expect(await bytesExist(gone)).toBe(false);
		}
		// Bytes another person's file has stay; the agent's knowledge stays with the installation.
		expect(await bytesExist(sameAsBobs)).toBe(true);
		expect(await bytesExist(bobsFile)).toBe(true);
		const [kept] = await temp.db.select().from(files).where(eq(files.id, knowledge.id));
		expect(kept.userId).toBeNull();
		expect(await temp.db.select().from(tasks).where(eq(tasks.id, bobTask.id))).toHaveLength(1);
	});

	it('refuses to delete the last admin', async () => {
		const admin = await createAccount(temp.db, { email: 'admin@example.com', password: 'correct horse battery' });
		await expect(deleteAccount(temp.db, admin.id, { storage })).rejects.toMatchObject({ code: 'conflict' });
		expect(await temp.db.select().from(users)).toHaveLength(1);
	});
});
