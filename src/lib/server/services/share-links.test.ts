import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { agents, files } from '../db/schema';
import { newId } from '../ids';
import { appendMessage } from './messages';
import {
	getSharedFile,
	getSharedTask,
	isShareToken,
	listShareLinks,
	newShareToken,
	revokeShareLink,
	sharedMessagesForPage,
	shareTask
} from './share-links';
import { createTask } from './tasks';
import type { Viewer } from './viewer';

describe('share links', () => {
	let temp: TempDb;
	let agentId: number;
	let ada: { id: string };
	let bob: { id: string };
	const limits = { links: 2, snapshotBytes: 100_000 };

	beforeEach(async () => {
		temp = await createTempDb();
		[{ id: agentId }] = await temp.db
			.insert(agents)
			.values({ slug: 'helper', name: 'Helper', model: 'mock:offline' })
			.returning({ id: agents.id });
		ada = await createAccount(temp.db, { email: 'ada@example.com', password: 'correct horse battery' });
		bob = await createAccount(temp.db, { email: 'bob@example.com', password: 'correct horse battery' });
	});
	afterEach(() => temp.cleanup());

	const viewer = (id: string): Viewer => ({ kind: 'user', id, role: 'user' });

	async function taskWith(owner: string, text: string) {
		const task = await createTask(temp.db, { viewer: viewer(owner), agentId, title: text });
		await appendMessage(temp.db, { taskId: task.id, role: 'user', parts: [{ type: 'text', text }] });
		return task;
	}

	it('makes URL-safe tokens of 192 random bits', () => {
		const tokens = new Set(Array.from({ length: 50 }, newShareToken));
		expect(tokens.size).toBe(50);
		for (const token of tokens) expect(isShareToken(token)).toBe(true);
		expect(isShareToken('short')).toBe(false);
	});

	it('keeps a copy of the messages as they were; sharing again updates the same link', async () => {
		const task = await taskWith(ada.id, 'First question');
		const first = await shareTask(temp.db, ada.id, task.id, { limits });
		expect(first).toMatchObject({ created: true, messageCount: 1, title: 'First question', agentName: 'Helper' });
		await appendMessage(temp.db, { taskId: task.id, role: 'assistant', kind: 'agent', parts: [{ type: 'text', text: 'Later answer' }] });

		const shared = await getSharedTask(temp.db, first.token);
		expect(shared.messages.map((message) => message.parts)).toEqual([[{ type: 'text', text: 'First question' }]]);

		const again = await shareTask(temp.db, ada.id, task.id, { limits });
		expect(again).toMatchObject({ created: false, token: first.token, messageCount: 2 });
		expect(await listShareLinks(temp.db, ada.id)).toHaveLength(1);
	});

	it('lets only the owner share, list and revoke; a revoked link is gone', async () => {
		const task = await taskWith(ada.id, 'Mine');
		await expect(shareTask(temp.db, bob.id, task.id, { limits })).rejects.toMatchObject({ code: 'not_found' });
		const link = await shareTask(temp.db, ada.id, task.id, { limits });
		expect(await listShareLinks(temp.db, bob.id)).toEqual([]);
		await expect(revokeShareLink(temp.db, bob.id, link.token)).rejects.toMatchObject({ code: 'not_found' });
		await revokeShareLink(temp.db, ada.id, link.token);
		await expect(getSharedTask(temp.db, link.token)).rejects.toMatchObject({ code: 'not_found' });
	});

	it('refuses links beyond the per-person limit and copies over the size limit', async () => {
		for (const text of ['one', 'two']) await shareTask(temp.db, ada.id, (await taskWith(ada.id, text)).id, { limits });
		const third = await taskWith(ada.id, 'three');
		await expect(shareTask(temp.db, ada.id, third.id, { limits })).rejects.toMatchObject({ code: 'conflict' });
		const big = await taskWith(bob.id, 'x'.repeat(2000));
		await expect(shareTask(temp.db, bob.id, big.id, { limits: { links: 5, snapshotBytes: 1000 } })).rejects.toMatchObject({
			code: 'payload_too_large'
		});
	});

	it('serves only the files the copy shows, through the link', async () => {
		const task = await createTask(temp.db, { viewer: viewer(ada.id), agentId });
		const fileRow = (id: string, userId: string) => ({
			id,
			userId,
			name: `${id}.txt`,
			mimeType: 'text/plain',
			size: 1,
			storageKey: 'k',
			sha256: 's'
		});
		const shown = newId();
		const other = newId();
		const bobs = newId();
		await temp.db.insert(files).values([fileRow(shown, ada.id), fileRow(other, ada.id), fileRow(bobs, bob.id)]);
		await appendMessage(temp.db, {
			taskId: task.id,
			role: 'user',
			parts: [
				{ type: 'text', text: 'See these' },
				{
					type: 'file',
					mediaType: 'text/plain',
					url: `/api/files/${shown}`,
					filename: 'a.txt',
					providerMetadata: { parley: { fileId: shown } }
				},
				{ type: 'file', mediaType: 'text/plain', url: `/api/files/${bobs}`, filename: 'b.txt' }
			]
		});
		const link = await shareTask(temp.db, ada.id, task.id, { limits });

		expect((await getSharedFile(temp.db, link.token, shown)).id).toBe(shown);
		await expect(getSharedFile(temp.db, link.token, other)).rejects.toMatchObject({ code: 'not_found' });
		// Linked in the copy but someone else's: never served.
		await expect(getSharedFile(temp.db, link.token, bobs)).rejects.toMatchObject({ code: 'not_found' });
		await expect(getSharedFile(temp.db, newShareToken(), shown)).rejects.toMatchObject({ code: 'not_found' });

		const page = sharedMessagesForPage(await getSharedTask(temp.db, link.token));
		expect(page[0].parts[1]).toEqual({ type: 'file', mediaType: 'text/plain', url: `/s/${link.token}/files/${shown}`, filename: 'a.txt' });

		await revokeShareLink(temp.db, ada.id, link.token);
		await expect(getSharedFile(temp.db, link.token, shown)).rejects.toMatchObject({ code: 'not_found' });
		expect(await temp.db.select().from(files).where(eq(files.id, shown))).toHaveLength(1);
	});
});
