import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, messages, tasks, users } from '../db/schema';
import { AppError } from '../errors';
import { getTaskForAdmin, listAllTasks, updateTaskAsAdmin } from './admin-tasks';
import type { Viewer } from './viewer';

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
			parentId: 'm1',
			role: 'assistant',
			kind: 'agent',
			parts: [{ type: 'text', text: 'Hello' }],
			model: 'mock:offline',
			inputTokens: 12,
			outputTokens: 5
		},
		{ id: 'm3', taskId: 'a1', position: 2, parentId: 'm2', role: 'user', kind: 'user', parts: [{ type: 'text', text: 'More' }] },
		{
			id: 'm4',
			taskId: 'a1',
			position: 3,
			parentId: 'm3',
			role: 'assistant',
			kind: 'agent',
			parts: [{ type: 'text', text: 'Thought about it' }],
			model: 'openai:o4-mini',
			inputTokens: 30,
			outputTokens: 9,
			reasoningTokens: 6,
			cachedInputTokens: 16
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
		expect(items.find((task) => task.id === 'a1')?.messageCount).toBe(4);
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
		expect(
			detail.messages.map((message) => [
				message.role,
				message.model,
				message.outputTokens,
				message.reasoningTokens,
				message.cachedInputTokens
			])
		).toEqual([
			['user', null, null, null, null],
			['assistant', 'mock:offline', 5, null, null],
			['user', null, null, null, null],
			['assistant', 'openai:o4-mini', 9, 6, 16]
		]);
		// Reasoning and cached input are summed over the answers that reported them.
		expect(detail.totals).toEqual({ inputTokens: 42, outputTokens: 14, reasoningTokens: 6, cachedInputTokens: 16 });
	});

	it('answers not_found for an unknown task', async () => {
		await expect(getTaskForAdmin(temp.db, 'nope')).rejects.toBeInstanceOf(AppError);
	});
});

describe('updateTaskAsAdmin', () => {
	const adminViewer: Viewer = { kind: 'user', id: 'root', role: 'admin' };
	const schema = {
		type: 'object',
		required: ['city'],
		properties: { city: { type: 'string' }, seats: { type: 'integer', minimum: 1 } }
	};

	async function stored(id: string) {
		const [row] = await temp.db.select().from(tasks).where(eq(tasks.id, id));
		return row;
	}

	it("changes any user's task's status and context and returns the updated view", async () => {
		const before = await stored('a1');
		const view = await updateTaskAsAdmin(temp.db, adminViewer, 'a1', { status: 'completed', context: { plan: 'pro' } });
		expect(view).toMatchObject({ id: 'a1', status: 'completed', context: { plan: 'pro' }, ownerEmail: 'alice@example.com' });
		const after = await stored('a1');
		expect(after.status).toBe('completed');
		expect(after.context).toEqual({ plan: 'pro' });
		expect(after.title).toBe('Alice one');
		expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
		expect((await getTaskForAdmin(temp.db, 'a1')).task.context).toEqual({ plan: 'pro' });
	});

	it('changes only what is given, and clears the context with null', async () => {
		await temp.db
			.update(tasks)
			.set({ context: { keep: true } })
			.where(eq(tasks.id, 'n1'));
		await updateTaskAsAdmin(temp.db, adminViewer, 'n1', { status: 'archived' });
		expect(await stored('n1')).toMatchObject({ status: 'archived', context: { keep: true }, anonymousId: 'anon-123456' });
		await updateTaskAsAdmin(temp.db, adminViewer, 'n1', { context: null });
		expect(await stored('n1')).toMatchObject({ status: 'archived', context: null });
	});

	it("checks the context against the agent's context schema: 422 naming the field, nothing stored", async () => {
		await temp.db.update(agents).set({ contextSchema: schema }).where(eq(agents.id, toolDemoId));
		await temp.db
			.update(tasks)
			.set({ context: { city: 'Paris' } })
			.where(eq(tasks.id, 'a2'));

		const wrongType = updateTaskAsAdmin(temp.db, adminViewer, 'a2', { status: 'completed', context: { city: 5 } });
		await expect(wrongType).rejects.toMatchObject({ code: 'unprocessable', status: 422, field: 'context.city' });
		const missing = updateTaskAsAdmin(temp.db, adminViewer, 'a2', { context: { seats: 2 } });
		await expect(missing).rejects.toMatchObject({ code: 'unprocessable', field: 'context.city' });
		const tooFew = updateTaskAsAdmin(temp.db, adminViewer, 'a2', { context: { city: 'Lyon', seats: 0 } });
		await expect(tooFew).rejects.toMatchObject({ code: 'unprocessable', field: 'context.seats' });
		expect(await stored('a2')).toMatchObject({ status: 'active', context: { city: 'Paris' } });

		const view = await updateTaskAsAdmin(temp.db, adminViewer, 'a2', { context: { city: 'Lyon', seats: 3 } });
		expect(view.context).toEqual({ city: 'Lyon', seats: 3 });
		// A status change alone does not re-check the stored context.
		await expect(updateTaskAsAdmin(temp.db, adminViewer, 'a2', { status: 'archived' })).resolves.toMatchObject({
			status: 'archived'
		});
	});

	it('refuses anyone but an admin with 403, and an unknown task with 404', async () => {
		const user: Viewer = { kind: 'user', id: 'alice', role: 'user' };
		const anonymous: Viewer = { kind: 'anonymous', anonymousId: 'anon-123456' };
		for (const viewer of [user, anonymous]) {
			await expect(updateTaskAsAdmin(temp.db, viewer, 'a1', { status: 'archived' })).rejects.toMatchObject({
				code: 'forbidden',
				status: 403
			});
		}
		expect((await stored('a1')).status).toBe('active');
		await expect(updateTaskAsAdmin(temp.db, adminViewer, 'nope', { status: 'archived' })).rejects.toMatchObject({
			code: 'not_found',
			status: 404
		});
	});
});
