import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../../tests/support/temp-db';
import { createAccount } from '../../auth/accounts';
import type { SessionUser } from '../../auth/session';
import { parseConfig } from '../../config';
import { getUsableAgent } from '../../services/agents';
import { createTask, deleteTask } from '../../services/tasks';
import { createCallerFactory, type Context } from '../trpc';
import { appRouter } from './_app';

const createCaller = createCallerFactory(appRouter);
const config = parseConfig({});

let temp: TempDb;
let owner: SessionUser;
let stranger: SessionUser;
let admin: SessionUser;
let taskId: string;
let anonymousTaskId: string;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	admin = await createAccount(temp.db, { email: 'admin@example.com', password: 'correct horse battery', role: 'admin' });
	owner = await createAccount(temp.db, { email: 'owner@example.com', password: 'correct horse battery' });
	stranger = await createAccount(temp.db, { email: 'stranger@example.com', password: 'correct horse battery' });
	const viewer = { kind: 'user' as const, id: owner.id, role: owner.role };
	const agent = await getUsableAgent(temp.db, viewer, 'assistant');
	taskId = (await createTask(temp.db, { viewer, agentId: agent.id })).id;
	anonymousTaskId = (await createTask(temp.db, { viewer: { kind: 'anonymous', anonymousId: 'anon_owner_1' }, agentId: agent.id })).id;
});

afterEach(() => temp.cleanup());

/**
 * Subscribes as someone, resuming from an id of a feed that no longer exists, and reads the first
 * event: a tracked event, its id then its data.
 */
async function firstEvent(context: Partial<Context>, id: string): Promise<{ id: string; data: unknown }> {
	const caller = createCaller({ db: temp.db, config, user: null, ...context });
	const events = (await caller.tasks.live({ taskId: id, lastEventId: 'gone-1' }))[Symbol.asyncIterator]();
	try {
		const [eventId, data] = (await events.next()).value as unknown as [string, unknown];
		return { id: eventId, data };
	} finally {
		await events.return?.();
	}
}

async function refusal(context: Partial<Context>, id: string): Promise<string> {
	const error = await firstEvent(context, id).then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(TRPCError);
	return (error as TRPCError).code;
}

describe('tasks.live', () => {
	it('lets the owner follow the task: a reader from a forgotten feed is told to reload first', async () => {
		const event = await firstEvent({ user: owner }, taskId);
		expect(event).toStrictEqual({ id: expect.stringMatching(/^[a-z0-9]+-0$/), data: { type: 'reset' } });
	});

	it('lets an admin follow anyone’s task', async () => {
		expect((await firstEvent({ user: admin }, taskId)).data).toStrictEqual({ type: 'reset' });
	});

	it('lets an anonymous owner follow its task by its anonymous id', async () => {
		expect((await firstEvent({ anonymousId: 'anon_owner_1' }, anonymousTaskId)).data).toStrictEqual({ type: 'reset' });
	});

	it('reports someone else’s task, or an unknown one, as not found', async () => {
		expect(await refusal({ user: stranger }, taskId)).toBe('NOT_FOUND');
		expect(await refusal({ anonymousId: 'anon_someone_else' }, anonymousTaskId)).toBe('NOT_FOUND');
		expect(await refusal({ anonymousId: 'anon_owner_1' }, taskId)).toBe('NOT_FOUND');
		expect(await refusal({ user: owner }, 'no-such-task')).toBe('NOT_FOUND');
	});

	it('refuses a caller who is nobody, and a malformed anonymous id', async () => {
		expect(await refusal({}, taskId)).toBe('UNAUTHORIZED');
		expect(await refusal({ anonymousId: 'bad id!' }, anonymousTaskId)).toBe('BAD_REQUEST');
	});

	it('ends with NOT_FOUND when the task is deleted; its id is never given to anyone else', async () => {
		const caller = createCaller({ db: temp.db, config, user: owner });
		const events = (await caller.tasks.live({ taskId }))[Symbol.asyncIterator]();
		const next = events.next();
		const ended = next.then(
			() => null,
			(thrown: unknown) => thrown
		);
		// The subscription listens before the first event is read: let it start.
		await new Promise<void>((resolve) => setImmediate(resolve));
		await deleteTask(temp.db, { kind: 'user', id: owner.id, role: owner.role }, taskId);
		const error = await ended;
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('NOT_FOUND');

		const viewer = { kind: 'user' as const, id: stranger.id, role: stranger.role };
		const agent = await getUsableAgent(temp.db, viewer, 'assistant');
		await expect(createTask(temp.db, { viewer, agentId: agent.id, id: taskId })).rejects.toMatchObject({ code: 'conflict' });
	});
});
