import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { files, messages, tasks } from '../../src/lib/server/db/schema';
import { useServerWithUser } from '../support/api-user';

const app = useServerWithUser({ email: 'alice@example.com', keyName: 'files per request tests' });

/** 21 small text files, one more than the default `FILES_PER_REQUEST_LIMIT`. */
const tooMany = () => Array.from({ length: 21 }, (_, index) => new File([`note ${index}`], `note-${index}.txt`));
const dataUrl = (text: string) => `data:text/plain;base64,${Buffer.from(text).toString('base64')}`;
const TOO_MANY = 'A request may carry at most 20 files; this one carries 21.';

/** What the user has stored: files, tasks and messages. */
async function storedCounts() {
	const fileRows = await app.db.select({ id: files.id }).from(files).where(eq(files.userId, app.user.id));
	const taskRows = await app.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, app.user.id));
	const messageRows = await app.db
		.select({ id: messages.id })
		.from(messages)
		.innerJoin(tasks, eq(messages.taskId, tasks.id))
		.where(eq(tasks.userId, app.user.id));
	return { files: fileRows.length, tasks: taskRows.length, messages: messageRows.length };
}

/** Posts JSON with the API key. */
function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
	return app.user.api(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('FILES_PER_REQUEST_LIMIT on every path that takes files (built server)', () => {
	const paths: [string, () => Promise<Response>, string][] = [
		[
			'POST /api/files',
			() => {
				const form = new FormData();
				for (const file of tooMany()) form.append('file', file);
				return app.user.api('/api/files', { method: 'POST', body: form });
			},
			'file'
		],
		[
			'POST /api/teams/messages',
			() => {
				const form = new FormData();
				form.append('id_team_agent', 'assistant');
				form.append('id_team', 'team-many');
				form.append('text', 'Look at these');
				tooMany().forEach((file, index) => form.append(index % 2 ? 'documents' : 'images', file));
				return app.user.api('/api/teams/messages', { method: 'POST', headers: { accept: 'text/event-stream' }, body: form });
			},
			'documents'
		],
		[
			'POST /api/agent/chat/',
			() =>
				postJson('/api/agent/chat/', {
					message: 'Look at these',
					agent_id: 'assistant',
					files: tooMany().map((_, index) => ({
						name: `n${index}.txt`,
						mime_type: 'text/plain',
						base64: Buffer.from(`n${index}`).toString('base64')
					}))
				}),
			'files'
		],
		[
			'POST /api/chat',
			() =>
				postJson('/api/chat', {
					id: `task_many_${crypto.randomUUID().slice(0, 8)}`,
					messages: [
						{
							id: 'u1',
							role: 'user',
							parts: [
								{ type: 'text', text: 'Look at these' },
								...tooMany().map((_, index) => ({
									type: 'file',
									mediaType: 'text/plain',
									url: dataUrl(`n${index}`),
									filename: `n${index}.txt`
								}))
							]
						}
					]
				}),
			'messages'
		],
		[
			'POST /assistant',
			() =>
				postJson('/assistant', {
					commands: [
						{
							type: 'add-message',
							message: {
								role: 'user',
								id: 'u_many',
								parts: [
									{ type: 'text', text: 'Look at these' },
									...Array.from({ length: 21 }, () => ({ type: 'image', image: 'data:image/png;base64,iVBORw0KGgo=' }))
								]
							},
							parentId: null,
							sourceId: null
						}
					],
					state: null,
					threadId: '__LOCALID_many'
				}),
			'commands'
		],
		[
			'POST /v1/chat/completions',
			() =>
				postJson('/v1/chat/completions', {
					model: 'assistant',
					messages: [
						{
							role: 'user',
							content: [
								{ type: 'text', text: 'Look at these' },
								...Array.from({ length: 11 }, () => ({ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } })),
								...Array.from({ length: 10 }, (_, index) => ({
									type: 'file',
									file: { file_data: dataUrl(`n${index}`), filename: `n${index}.txt` }
								}))
							]
						}
					]
				}),
			'messages'
		]
	];

	for (const [name, send, field] of paths) {
		it(`${name}: 21 files are refused with 413 naming the limit, and nothing is stored`, async () => {
			const before = await storedCounts();
			const response = await send();
			expect(response.status).toBe(413);
			const body = await response.json();
			// The OpenAI face answers in OpenAI's error shape, the others in Parley's.
			const error = 'error' in body && typeof body.error === 'object' ? body.error : body;
			expect(error.message).toBe(TOO_MANY);
			if (name !== 'POST /v1/chat/completions') expect(error).toMatchObject({ code: 'payload_too_large', field });
			expect(await storedCounts()).toEqual(before);
		});
	}

	it('takes 20 files in one upload', async () => {
		const form = new FormData();
		for (const file of tooMany().slice(0, 20)) form.append('file', file);
		const response = await app.user.api('/api/files', { method: 'POST', body: form });
		expect(response.status).toBe(201);
		expect((await response.json()).files).toHaveLength(20);
	});
});
