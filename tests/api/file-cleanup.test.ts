import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { files } from '../../src/lib/server/db/schema';
import { useServerWithUser } from '../support/api-user';

const app = useServerWithUser({ email: 'alice@example.com', keyName: 'clean-up tests' });

/** Whether the uploads folder (beside the server's database) holds these bytes. */
function stored(bytes: string): boolean {
	const hash = createHash('sha256').update(bytes).digest('hex');
	return existsSync(join(dirname(app.server.databaseUrl.slice('file:'.length)), 'uploads', 'sha256', hash.slice(0, 2), hash));
}

describe('files of a deleted task (built server)', () => {
	it('DELETE /api/teams/tasks/{agent}/{task} removes the task’s files and their bytes, keeping bytes another file has', async () => {
		const upload = new FormData();
		upload.append('file', new File(['kept elsewhere'], 'copy.txt'));
		expect((await app.user.api('/api/files', { method: 'POST', body: upload })).status).toBe(201);

		const form = new FormData();
		form.append('id_team_agent', 'assistant');
		form.append('id_team', 'team-cleanup');
		form.append('text', 'Read these');
		form.append('documents', new File(['only in this task'], 'mine.txt'));
		form.append('documents', new File(['kept elsewhere'], 'shared.txt'));
		const response = await app.user.api('/api/teams/messages', {
			method: 'POST',
			headers: { accept: 'text/event-stream' },
			body: form
		});
		expect(response.status).toBe(200);
		const body = await response.text();
		const taskId = /"id_task":"([^"]+)"/.exec(body)?.[1];
		expect(taskId).toBeDefined();
		expect((await app.db.select().from(files).where(eq(files.taskId, taskId!))).length).toBe(2);
		expect([stored('only in this task'), stored('kept elsewhere')]).toEqual([true, true]);

		const deleted = await app.user.api(`/api/teams/tasks/assistant/${taskId}`, { method: 'DELETE' });
		expect(deleted.status).toBe(200);
		const left = await app.db.select({ name: files.name }).from(files).where(eq(files.name, 'mine.txt'));
		expect(left).toEqual([]);
		expect(await app.db.select({ name: files.name }).from(files).where(eq(files.name, 'shared.txt'))).toEqual([]);
		expect(stored('only in this task')).toBe(false);
		expect(stored('kept elsewhere')).toBe(true);
	});
});
