import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, messages, tasks, users } from '../db/schema';
import { AppError } from '../errors';
import { getTaskForAdmin, listAllTasks } from './admin-tasks';

let temp: TempDb;
let assistantId: number;
let toolDemoId: number;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	await temp.db.insert(users).values([
		{ id: 'alice', email: 'alice@example.com', passwordHash: 'x' },
		{ id: 'bob', email: 'bob@example.com', passwordHash: 'x' }
	]);
	[{ id: assistantId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'assistant'));
	[{ id: toolDemoId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'tool-demo'));
	await temp.db.insert(tasks).values([
		{ id: 'a1', agentId: assistantId, userId: 'alice', title: 'Alice one', createdAt: new Date(1_000) },
		{ id: 'a2', agentId: toolDemoId, userId: 'alice', title: 'Alice two', createdAt: new Date(2_000) },
		{ id: 'b1', agentId: assistantId, userId: 'bob', title: 'Bob one', createdAt: new Date(3_000) },
		{ id: 'n1', agentId: assistantId, anonymousId: 'anon-123456', title: 'Anonymous', createdAt: new Date(3_000) }
	]);
	await temp.db.insert(messages).values([
		{ id: 'm1', taskId: 'a1', position: 0, role: 'user', kind: 'user', parts: [{ type: 'text', text: 'Hi' }] },
		{
			id: 'm2',
			taskId: 'a1',
			position: 1,
			role: 'assistant',
			kind: 'agent',
			parts: [{ type: 'text', text: 'Hello' }],
			model: 'mock:offline',
			inputTokens: 12,
			outputTokens: 5
		}
	]);
});

afterEach(() => temp.cleanup());

describe('listAllTasks', () => {
	it("lists everyone's tasks newest first with owner, agent and message count", async () => {
		const { items, nextCursor } = await listAllTasks(temp.db);
		expect(items.map((task) => [task.id, task.ownerEmail, task.agentSlug])).toEqual([
			['n1', null, 'assistant'],
			['b1', 'bob@example.com', 'assistant'],
			['a2', 'alice@example.com', 'tool-demo'],
			['a1', 'alice@example.com', 'assistant']
		]);
		expect(items.find((task) => task.id === 'a1')?.messageCount).toBe(2);
		expect(nextCursor).toBeNull();
	});

	it('pages with a cursor without skipping or repeating tasks of the same time', async () => {
		const first = await listAllTasks(temp.db, { limit: 1 });
		const second = await listAllTasks(temp.db, { limit: 2, cursor: first.nextCursor });
		const third = await listAllTasks(temp.db, { limit: 2, cursor: second.nextCursor });
		expect([...first.items, ...second.items, ...third.items].map((task) => task.id)).toEqual(['n1', 'b1', 'a2', 'a1']);
		expect(third.nextCursor).toBeNull();
	});

	it('filters by owner email (any case) and by agent', async () => {
		const byAlice = await listAllTasks(temp.db, { userEmail: ' ALICE@example.com ' });
		expect(byAlice.items.map((task) => task.id)).toEqual(['a2', 'a1']);
		const both = await listAllTasks(temp.db, { userEmail: 'alice@example.com', agentSlug: 'tool-demo' });
		expect(both.items.map((task) => task.id)).toEqual(['a2']);
		expect((await listAllTasks(temp.db, { userEmail: 'nobody@example.com' })).items).toEqual([]);
	});
});

describe('getTaskForAdmin', () => {
	it("returns any user's task with its messages, models and token totals", async () => {
		const detail = await getTaskForAdmin(temp.db, 'a1');
		expect(detail.task).toMatchObject({ id: 'a1', ownerEmail: 'alice@example.com', agentName: expect.any(String) });
		expect(detail.messages.map((message) => [message.role, message.model, message.outputTokens])).toEqual([
			['user', null, null],
			['assistant', 'mock:offline', 5]
		]);
		expect(detail.totals).toEqual({ inputTokens: 12, outputTokens: 5 });
	});

	it('answers not_found for an unknown task', async () => {
		await expect(getTaskForAdmin(temp.db, 'nope')).rejects.toBeInstanceOf(AppError);
	});
});
