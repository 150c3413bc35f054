import { AssistantMessageAccumulator, DataStreamDecoder, unstable_createInitialMessage, type AssistantMessage } from 'assistant-stream';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { useServerWithUser } from '../support/api-user';
import { signUp } from '../support/session';

const app = useServerWithUser({ email: 'branches@example.com', keyName: 'branches', env: { MOCK_TOKEN_DELAY_MS: '0' } });

/** The text of some parts. */
const textOf = (parts: { type: string; text?: string }[]) => parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

/** The task's history as the database reads it: questions' texts, answers as `answer`. */
async function history(taskId: string): Promise<string[]> {
	return (await listMessages(app.db, taskId)).map((message) => (message.role === 'user' ? textOf(message.parts) : 'answer'));
}

/** Asks a question on the app's own chat stream and reads the answer to its end. */
async function chat(taskId: string, text: string, edits?: string): Promise<void> {
	const id = edits ?? crypto.randomUUID();
	const response = await app.user.fetch('/api/chat', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ id: taskId, messages: [{ id, role: 'user', parts: [{ type: 'text', text }] }], messageId: edits })
	});
	expect(response.status).toBe(200);
	await response.text();
}

/** Calls a tRPC mutation with the session cookie. */
function mutate(path: string, input: unknown, fetcher = app.user.fetch) {
	return fetcher(`/api/trpc/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(input)
	});
}

/** A task of two questions and answers whose first question was then edited: two branches, the edit's active. */
async function editedTask(): Promise<{ taskId: string; original: string[] }> {
	const taskId = crypto.randomUUID();
	await chat(taskId, 'one');
	await chat(taskId, 'two');
	const original = (await listMessages(app.db, taskId)).map((message) => message.id);
	await chat(taskId, 'uno', original[0]);
	expect(await history(taskId)).toEqual(['uno', 'answer']);
	return { taskId, original };
}

describe('every face reads and extends the active branch', () => {
	it('/v1/chat/completions with metadata.task_id holds the active branch as the stored history', async () => {
		const { taskId } = await editedTask();
		const [, answer] = await listMessages(app.db, taskId);
		const response = await app.user.api('/v1/chat/completions', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'assistant',
				metadata: { task_id: taskId },
				messages: [
					{ role: 'user', content: 'uno' },
					{ role: 'assistant', content: textOf(answer.parts) },
					{ role: 'user', content: 'tres' }
				]
			})
		});
		expect(response.status).toBe(200);
		expect((await response.json()).choices[0].message.content).toContain('You said: "tres"');
		expect(await history(taskId)).toEqual(['uno', 'answer', 'tres', 'answer']);
		// The other branch is still stored, whole.
		expect(await app.db.select().from(messages).where(eq(messages.taskId, taskId))).toHaveLength(8);
	});

	it('the agent API goes on from the version chosen in the app', async () => {
		const { taskId, original } = await editedTask();
		const chosen = await mutate('branches.choose', { taskId, messageId: original[0] });
		expect(chosen.status).toBe(200);
		expect(await history(taskId)).toEqual(['one', 'answer', 'two', 'answer']);

		const response = await app.user.api('/api/agent/chat/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: 'four', agent_id: 'assistant', session_id: taskId })
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ session_id: taskId, status: 'completed' });
		const branch = await listMessages(app.db, taskId);
		expect(branch.map((message) => (message.role === 'user' ? textOf(message.parts) : 'answer'))).toEqual([
			'one',
			'answer',
			'two',
			'answer',
			'four',
			'answer'
		]);
		expect(branch[4].parentId).toBe(original[3]);
	});

	it('/assistant: editing the first message (parentId null, sourceId set) makes a new first version', async () => {
		const read = async (body: ReadableStream<Uint8Array> | null, state: unknown) => {
			const accumulator = new AssistantMessageAccumulator({
				initialMessage: unstable_createInitialMessage({ unstable_state: state as null })
			});
			let last: AssistantMessage | undefined;
			for await (const message of body!
				.pipeThrough(new DataStreamDecoder() as unknown as TransformStream<Uint8Array, never>)
				.pipeThrough(accumulator)) {
				last = message;
			}
			return last!.metadata.unstable_state as unknown as {
				taskId: string;
				messages: { id: string; role: string; content: { type: string; text?: string }[] }[];
			};
		};
		const post = async (text: string, state: unknown, parentId: string | null, sourceId: string | null = null) => {
			const response = await app.user.fetch('/assistant', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					commands: [{ type: 'add-message', message: { role: 'user', parts: [{ type: 'text', text }] }, parentId, sourceId }],
					state,
					threadId: '__LOCALID_branches'
				})
			});
			expect(response.status).toBe(200);
			return read(response.body, state);
		};
		const first = await post('one', { messages: [] }, null);
		const second = await post('two', first, first.messages.at(-1)!.id);
		expect(second.messages).toHaveLength(4);

		const edited = await post('uno', second, null, second.messages[0].id);
		expect(edited.messages.map((message) => (message.role === 'user' ? textOf(message.content) : 'answer'))).toEqual(['uno', 'answer']);
		expect(await history(edited.taskId)).toEqual(['uno', 'answer']);
		const [question] = await listMessages(app.db, edited.taskId);
		expect(question.parentId).toBeNull();
		// The first version and what followed it stay, one switch away.
		expect(await app.db.select().from(messages).where(eq(messages.taskId, edited.taskId))).toHaveLength(6);
		const chosen = await mutate('branches.choose', { taskId: edited.taskId, messageId: second.messages[0].id });
		expect(chosen.status).toBe(200);
		expect(await history(edited.taskId)).toEqual(['one', 'answer', 'two', 'answer']);
	});

	it('choosing a version: 404 for a message or task not the caller’s, 400 for bad input', async () => {
		const { taskId, original } = await editedTask();
		const stranger = await signUp(app.server.baseURL, 'stranger@example.com');
		expect((await mutate('branches.choose', { taskId, messageId: original[0] }, stranger.fetch)).status).toBe(404);
		expect((await mutate('branches.choose', { taskId, messageId: 'not-a-message' })).status).toBe(404);
		expect((await mutate('branches.choose', { taskId, messageId: 'x'.repeat(500) })).status).toBe(400);
		expect(await history(taskId)).toEqual(['uno', 'answer']);
	});
});
