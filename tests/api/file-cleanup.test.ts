import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { files } from '../../src/lib/server/db/schema';
import { signUpWithKey, type ApiUser } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Db;
let alice: ApiUser;

beforeAll(async () => {
	server = await startServer();
	db = await openDatabase({ url: server.databaseUrl });
	alice = await signUpWithKey(server.baseURL, db, 'alice@example.com', 'clean-up tests');
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Whether the uploads folder (beside the server's database) holds these bytes. */
function stored(bytes: string): boolean {
	const hash = createHash('sha256').update(bytes).digest('hex');
	return existsSync(join(dirname(server.databaseUrl.slice('file:'.length)), 'uploads', 'sha256', hash.slice(0, 2), hash));
}

describe('files of a deleted task (built server)', () => {
	it('DELETE /api/teams/tasks/{agent}/{task} removes the task’s files and their bytes, keeping bytes another file has', async () => {
		const upload = new FormData();
		upload.append('file', new File(['kept elsewhere'], 'copy.txt'));
		expect((await alice.api('/api/files', { method: 'POST', body: upload })).status).toBe(201);

		const form = new FormData();
		form.append('id_team_agent', 'assistant');
		form.append('id_team', 'team-cleanup');
		form.append('text', 'Read these');
		form.append('documents', new File(['only in this task'], 'mine.txt'));
		form.append('documents', new File(['kept elsewhere'], 'shared.txt'));
		const response = await alice.api('/api/teams/messages', {
			method: 'POST',
			headers: { accept: 'text/event-stream' },
			body: form
		});
		expect(response.status).toBe(200);
		const body = await response.text();
		const taskId = /"id_task":"([^"]+)"/.exec(body)?.[1];
		expect(taskId).toBeDefined();
		expect((await db.select().from(files).where(eq(files.taskId, taskId!))).length).toBe(2);
		expect([stored('only in this task'), stored('kept elsewhere')]).toEqual([true, true]);

		const deleted = await alice.api(`/api/teams/tasks/assistant/${taskId}`, { method: 'DELETE' });
		expect(deleted.status).toBe(200);
		const left = await db.select({ name: files.name }).from(files).where(eq(files.name, 'mine.txt'));
		expect(left).toEqual([]);
		expect((await db.select({ name: files.name }).from(files).where(eq(files.name, 'shared.txt')))).toEqual([]);
		expect(stored('only in this task')).toBe(false);
		expect(stored('kept elsewhere')).toBe(true);
	});
});
