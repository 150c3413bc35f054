import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/lib/server/db/schema';
import { useServerWithUser } from '../support/api-user';

const app = useServerWithUser({ email: 'playground-tasks@example.com', keyName: 'playground tests', env: { MOCK_TOKEN_DELAY_MS: '0' } });

const json = (body: unknown, headers: Record<string, string> = {}) => ({
	method: 'POST',
	headers: { 'content-type': 'application/json', ...headers },
	body: JSON.stringify(body)
});

async function isPlayground(id: string): Promise<boolean | undefined> {
	const [task] = await app.db.select({ playground: tasks.playground }).from(tasks).where(eq(tasks.id, id));
	return task?.playground;
}

describe('tasks started from the playground', () => {
	it('are marked when the request says it comes from the playground, on every face, and answered the same', async () => {
		const marked = { 'x-parley-playground': '1' };
		for (const headers of [marked, {}]) {
			const agent = await app.user.api('/api/agent/chat/', json({ message: 'Hello there', agent_id: 'assistant' }, headers));
			expect(agent.status).toBe(200);
			const agentBody = await agent.json();
			expect(Object.keys(agentBody).sort()).toEqual(['message_id', 'session_id', 'status', 'text', 'tool_calls']);
			expect(await isPlayground(agentBody.session_id)).toBe(headers === marked);

			const completion = await app.user.api(
				'/v1/chat/completions',
				json({ model: 'assistant', messages: [{ role: 'user', content: 'Hi from /v1' }] }, headers)
			);
			expect(completion.status).toBe(200);
			const taskId = completion.headers.get('x-parley-task-id');
			expect(taskId).toBeTruthy();
			expect(await isPlayground(taskId ?? '')).toBe(headers === marked);

			const id = `chat-${headers === marked ? 'marked' : 'plain'}-${Date.now()}`;
			const chat = await app.user.fetch(
				'/api/chat',
				json({ id, messages: [{ id: `${id}-q`, role: 'user', parts: [{ type: 'text', text: 'Hello chat' }] }] }, headers)
			);
			expect(chat.status).toBe(200);
			await chat.text();
			expect(await isPlayground(id)).toBe(headers === marked);
		}
	});

	it('are left out of the sidebar page, which refuses oversized input with a JSON 400', async () => {
		const input = encodeURIComponent(JSON.stringify({ limit: 100 }));
		const page = await app.user.fetch(`/api/trpc/tasks.sidebar?input=${input}`);
		expect(page.status).toBe(200);
		const items: { id: string }[] = (await page.json()).result.data.items;
		const shown = new Set(items.map((item) => item.id));
		const all = await app.db.select({ id: tasks.id, playground: tasks.playground }).from(tasks);
		expect(all.filter((task) => task.playground).some((task) => shown.has(task.id))).toBe(false);
		expect(all.filter((task) => !task.playground).every((task) => shown.has(task.id))).toBe(true);

		const tooLong = encodeURIComponent(JSON.stringify({ query: 'x'.repeat(201) }));
		const refused = await app.user.fetch(`/api/trpc/tasks.sidebar?input=${tooLong}`);
		expect(refused.status).toBe(400);
		expect((await refused.json()).error.data).toMatchObject({ code: 'BAD_REQUEST', field: 'query' });
	});
});
