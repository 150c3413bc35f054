import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, agentTools, tools, type AgentVisibility } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import { canUseAgent, findAgent, getDefaultAgent, getUsableAgent, listAgents, listAgentTools } from './agents';
import type { Viewer } from './viewer';

const anonymous: Viewer = { kind: 'anonymous', anonymousId: 'anon-1' };
const user: Viewer = { kind: 'user', id: 'u1', role: 'user' };
const admin: Viewer = { kind: 'user', id: 'a1', role: 'admin' };

let temp: TempDb;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
});

afterEach(() => {
	temp.cleanup();
});

async function addAgent(slug: string, visibility: AgentVisibility, name = slug): Promise<number> {
	const [row] = await temp.db.insert(agents).values({ slug, name, visibility, model: 'mock:offline' }).returning({ id: agents.id });
	return row.id;
}

async function expectAppError(promise: Promise<unknown>, code: AppErrorCode, field?: string): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(AppError);
	expect((error as AppError).code).toBe(code);
	if (field !== undefined) expect((error as AppError).field).toBe(field);
	return error as AppError;
}

describe('canUseAgent', () => {
	it.each([
		['public', null, true],
		['public', anonymous, true],
		['public', user, true],
		['public', admin, true],
		['users', null, false],
		['users', anonymous, false],
		['users', user, true],
		['users', admin, true],
		['admins', null, false],
		['admins', anonymous, false],
		['admins', user, false],
		['admins', admin, true]
	] as const)('%s agent, viewer %j → %s', (visibility, viewer, expected) => {
		expect(canUseAgent(viewer, visibility)).toBe(expected);
	});
});

describe('listAgents', () => {
	beforeEach(async () => {
		await addAgent('open-bot', 'public', 'Open bot');
		await addAgent('ops-bot', 'admins', 'Ops bot');
	});

	it('shows anonymous viewers only public agents', async () => {
		expect((await listAgents(temp.db, anonymous)).map((agent) => agent.slug)).toEqual(['open-bot']);
		expect((await listAgents(temp.db, null)).map((agent) => agent.slug)).toEqual(['open-bot']);
	});

	it('shows users public and users agents, by name', async () => {
		expect((await listAgents(temp.db, user)).map((agent) => agent.slug)).toEqual(['assistant', 'open-bot', 'shop', 'tool-demo']);
	});

	it('shows admins every agent, by name', async () => {
		expect((await listAgents(temp.db, admin)).map((agent) => agent.slug)).toEqual([
			'assistant',
			'open-bot',
			'ops-bot',
			'shop',
			'tool-demo'
		]);
	});

	it('summarises each agent with its model label', async () => {
		const [assistant] = (await listAgents(temp.db, user)).filter((agent) => agent.slug === 'assistant');
		expect(assistant).toEqual({
			id: expect.any(Number),
			slug: 'assistant',
			name: 'Assistant',
			description: expect.any(String),
			model: 'mock:offline',
			modelLabel: 'Offline demo model',
			offline: true,
			visibility: 'users'
		});
	});
});

describe('findAgent', () => {
	it('finds an agent by numeric id, numeric string and slug', async () => {
		const id = await addAgent('finder', 'users');
		expect((await findAgent(temp.db, id))?.slug).toBe('finder');
		expect((await findAgent(temp.db, String(id)))?.slug).toBe('finder');
		expect((await findAgent(temp.db, ` ${id} `))?.slug).toBe('finder');
		expect((await findAgent(temp.db, 'finder'))?.id).toBe(id);
	});

	it('returns undefined for an unknown id or slug', async () => {
		expect(await findAgent(temp.db, 99_999)).toBeUndefined();
		expect(await findAgent(temp.db, '99999')).toBeUndefined();
		expect(await findAgent(temp.db, 'no-such-agent')).toBeUndefined();
	});
});

describe('getUsableAgent', () => {
	it('returns the agent with its tools in position order', async () => {
		const id = await addAgent('ordered', 'users');
		const toolRows = await temp.db.select().from(tools);
		const byName = new Map(toolRows.map((tool) => [tool.name, tool.id]));
		// Positions reversed against the tools' ids, so the order cannot come from the ids.
		await temp.db.insert(agentTools).values([
			{ agentId: id, toolId: byName.get('calculator')!, position: 1 },
			{ agentId: id, toolId: byName.get('current_time')!, position: 0 }
		]);

		const agent = await getUsableAgent(temp.db, user, 'ordered');

		expect(agent.id).toBe(id);
		expect(agent.tools.map((tool) => tool.name)).toEqual(['current_time', 'calculator']);
		expect((await listAgentTools(temp.db, id)).map((tool) => tool.name)).toEqual(['current_time', 'calculator']);
	});

	it('returns the seeded tool-demo tools as calculator then current_time', async () => {
		const agent = await getUsableAgent(temp.db, user, 'tool-demo');
		expect(agent.tools.map((tool) => tool.name)).toEqual(['calculator', 'current_time']);
	});

	it('returns an agent without tools with an empty list', async () => {
		expect((await getUsableAgent(temp.db, user, 'assistant')).tools).toEqual([]);
	});

	it('reports an admins-only agent to a user as not_found', async () => {
		const id = await addAgent('ops-only', 'admins');
		await expectAppError(getUsableAgent(temp.db, user, 'ops-only'), 'not_found', 'agentId');
		await expectAppError(getUsableAgent(temp.db, user, id), 'not_found', 'agentId');
		expect((await getUsableAgent(temp.db, admin, 'ops-only')).id).toBe(id);
	});

	it('asks an anonymous viewer of a users agent to log in, and hides missing agents', async () => {
		await expectAppError(getUsableAgent(temp.db, anonymous, 'assistant'), 'unauthorized');
		await expectAppError(getUsableAgent(temp.db, anonymous, 'no-such-agent'), 'not_found');
	});

	it('reports a missing agent as not_found on the given field', async () => {
		await expectAppError(getUsableAgent(temp.db, admin, 'nope', 'agent'), 'not_found', 'agent');
	});
});

describe('getDefaultAgent', () => {
	it('prefers the configured slug', async () => {
		await addAgent('favourite', 'users');
		expect((await getDefaultAgent(temp.db, user, 'favourite')).slug).toBe('favourite');
	});

	it('falls back to assistant without a configured slug', async () => {
		expect((await getDefaultAgent(temp.db, user)).slug).toBe('assistant');
	});

	it('falls back to assistant when the configured slug is missing', async () => {
		expect((await getDefaultAgent(temp.db, user, 'no-such-agent')).slug).toBe('assistant');
	});

	it('falls back to assistant when the configured agent is not usable by the viewer', async () => {
		await addAgent('ops-default', 'admins');
		expect((await getDefaultAgent(temp.db, user, 'ops-default')).slug).toBe('assistant');
		expect((await getDefaultAgent(temp.db, admin, 'ops-default')).slug).toBe('ops-default');
	});

	it('returns the tools of the default agent', async () => {
		const agent = await getDefaultAgent(temp.db, user, 'tool-demo');
		expect(agent.tools.map((tool) => tool.name)).toEqual(['calculator', 'current_time']);
	});

	it('takes the first usable agent by name when assistant is gone', async () => {
		await temp.db.delete(agents).where(eq(agents.slug, 'assistant'));
		await addAgent('zulu', 'users', 'Zulu');
		await addAgent('alpha', 'users', 'Alpha');
		expect((await getDefaultAgent(temp.db, user)).slug).toBe('alpha');
	});

	it('gives an anonymous viewer the default agent when it is public, and never some other public agent', async () => {
		await expectAppError(getDefaultAgent(temp.db, anonymous), 'unauthorized');
		await addAgent('open-default', 'public');
		await expectAppError(getDefaultAgent(temp.db, anonymous), 'unauthorized');
		expect((await getDefaultAgent(temp.db, anonymous, 'open-default')).slug).toBe('open-default');
		await temp.db.update(agents).set({ visibility: 'public' }).where(eq(agents.slug, 'assistant'));
		expect((await getDefaultAgent(temp.db, anonymous)).slug).toBe('assistant');
	});
});
