import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { parseConfig } from '../config';
import { agents, promptTemplates, tools } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import {
	agentInputSchema,
	agentPatchSchema,
	createAgent,
	deleteAgent,
	getAgentResource,
	listAgentResources,
	updateAgent,
	type AdminContext
} from './agent-admin';
import { createTask } from './tasks';
import type { Viewer } from './viewer';

const user: Viewer = { kind: 'user', id: 'u1', role: 'user' };
const admin: Viewer = { kind: 'user', id: 'a1', role: 'admin' };
const config = parseConfig({});

let temp: TempDb;
let context: AdminContext;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	context = { db: temp.db, config, viewer: admin };
});

afterEach(() => {
	temp.cleanup();
});

async function expectAppError(promise: Promise<unknown>, code: AppErrorCode, field?: string): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(AppError);
	if (!(error instanceof AppError)) throw error;
	expect(error.code).toBe(code);
	if (field !== undefined) expect(error.field).toBe(field);
	return error;
}

async function toolId(name: string): Promise<number> {
	const [row] = await temp.db.select({ id: tools.id }).from(tools).where(eq(tools.name, name));
	return row.id;
}

const input = (fields: Record<string, unknown>) => agentInputSchema.parse(fields);

describe('agentInputSchema', () => {
	it('fills defaults: visibility users, five steps, no tools; leaves the model to the server', () => {
		expect(input({ slug: 'support', name: 'Support' })).toStrictEqual({
			slug: 'support',
			name: 'Support',
			description: '',
			system_prompt: '',
			temperature: null,
			max_steps: 5,
			reasoning: 'off',
			tools: [],
			mcp_servers: [],
			prompt_template_id: null,
			context_schema: null,
			visibility: 'users'
		});
	});

	it.each([
		['Support', 'upper case'],
		['-support', 'a leading dash'],
		['sup port', 'a space'],
		['42', 'all digits'],
		['', 'nothing']
	])('refuses the slug %j (%s)', (slug) => {
		const result = agentInputSchema.safeParse({ slug, name: 'X' });
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].path).toStrictEqual(['slug']);
	});

	it('accepts dotted slugs such as code paths', () => {
		expect(agentInputSchema.safeParse({ slug: 'sales.premium', name: 'X' }).success).toBe(true);
	});

	it('refuses a tool listed twice', () => {
		const result = agentInputSchema.safeParse({ slug: 'a', name: 'A', tools: [1, 1] });
		expect(result.error?.issues[0].path).toStrictEqual(['tools']);
	});

	it('leaves left-out fields out of a patch', () => {
		expect(agentPatchSchema.parse({ name: 'New' })).toStrictEqual({ name: 'New' });
	});
});

describe('createAgent', () => {
	it('stores the agent with its tools in order', async () => {
		const calculator = await toolId('calculator');
		const currentTime = await toolId('current_time');
		const created = await createAgent(
			context,
			input({ slug: 'math', name: 'Math', tools: [currentTime, calculator], temperature: 0.2, visibility: 'public' })
		);
		expect(created).toMatchObject({
			slug: 'math',
			name: 'Math',
			model: 'mock:offline',
			temperature: 0.2,
			tools: [currentTime, calculator],
			visibility: 'public',
			source: 'database'
		});
		expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(await getAgentResource(temp.db, user, 'math')).toStrictEqual(created);
		expect(await getAgentResource(temp.db, user, created.id)).toStrictEqual(created);
	});

	it('gives an agent without a model the default model: DEFAULT_MODEL, else the offline model', async () => {
		expect(await createAgent(context, input({ slug: 'plain', name: 'Plain' }))).toMatchObject({ model: 'mock:offline' });
		const withDefault = parseConfig({
			OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
			DEFAULT_MODEL: 'compatible:fake-model'
		});
		const created = await createAgent({ ...context, config: withDefault }, input({ slug: 'local', name: 'Local' }));
		expect(created.model).toBe('compatible:fake-model');
		const chosen = await createAgent({ ...context, config: withDefault }, input({ slug: 'chosen', name: 'Chosen', model: 'mock:offline' }));
		expect(chosen.model).toBe('mock:offline');
	});

	it('is for admins only', async () => {
		await expectAppError(createAgent({ ...context, viewer: user }, input({ slug: 'x', name: 'X' })), 'forbidden');
	});

	it('refuses a taken slug with a conflict', async () => {
		await expectAppError(createAgent(context, input({ slug: 'assistant', name: 'Again' })), 'conflict', 'slug');
	});

	it('refuses a model this server cannot run', async () => {
		await expectAppError(createAgent(context, input({ slug: 'x', name: 'X', model: 'openai:gpt-4o' })), 'invalid_input', 'model');
		await expectAppError(createAgent(context, input({ slug: 'x', name: 'X', model: 'nonsense' })), 'invalid_input', 'model');
	});

	it('refuses unknown tools and templates, and a context schema that does not compile', async () => {
		await expectAppError(createAgent(context, input({ slug: 'x', name: 'X', tools: [9999] })), 'invalid_input', 'tools');
		await expectAppError(
			createAgent(context, input({ slug: 'x', name: 'X', prompt_template_id: 9999 })),
			'invalid_input',
			'prompt_template_id'
		);
		await expectAppError(
			createAgent(context, input({ slug: 'x', name: 'X', context_schema: { type: 'no-such-type' } })),
			'invalid_input',
			'context_schema'
		);
		expect(await temp.db.select().from(agents).where(eq(agents.slug, 'x'))).toStrictEqual([]);
	});

	it('accepts an existing template and a valid context schema', async () => {
		const [template] = await temp.db.insert(promptTemplates).values({ name: 'greeting', template: 'Hello {{name}}' }).returning();
		const created = await createAgent(
			context,
			input({
				slug: 'greeter',
				name: 'Greeter',
				prompt_template_id: template.id,
				context_schema: { type: 'object', properties: { name: { type: 'string' } } }
			})
		);
		expect(created).toMatchObject({ prompt_template_id: template.id, context_schema: { type: 'object' } });
	});
});

describe('listAgentResources and getAgentResource', () => {
	it('show only what the viewer may use', async () => {
		await createAgent(context, input({ slug: 'secret', name: 'Secret', visibility: 'admins' }));
		expect((await listAgentResources(temp.db, user)).map((agent) => agent.slug)).toStrictEqual(['assistant', 'tool-demo', 'shop']);
		expect((await listAgentResources(temp.db, admin)).map((agent) => agent.slug)).toStrictEqual([
			'assistant',
			'tool-demo',
			'shop',
			'secret'
		]);
		await expectAppError(getAgentResource(temp.db, user, 'secret'), 'not_found', 'id');
		await expectAppError(getAgentResource(temp.db, user, 'missing'), 'not_found', 'id');
	});

	it('list the seeded agent’s tool ids', async () => {
		const demo = (await listAgentResources(temp.db, user)).find((agent) => agent.slug === 'tool-demo');
		expect(demo?.tools).toStrictEqual([await toolId('calculator'), await toolId('current_time')]);
	});
});

describe('updateAgent', () => {
	it('changes only the fields of a patch, and replaces the tools when given', async () => {
		const created = await createAgent(
			context,
			input({ slug: 'math', name: 'Math', system_prompt: 'Be exact.', tools: [await toolId('calculator')] })
		);
		const renamed = await updateAgent(context, 'math', { name: 'Numbers' });
		expect(renamed).toMatchObject({ name: 'Numbers', system_prompt: 'Be exact.', tools: created.tools });
		const toolless = await updateAgent(context, created.id, { tools: [], temperature: null });
		expect(toolless.tools).toStrictEqual([]);
		expect((await getAgentResource(temp.db, admin, 'math')).tools).toStrictEqual([]);
	});

	it('replaces everything on a full input (PUT)', async () => {
		await createAgent(context, input({ slug: 'math', name: 'Math', system_prompt: 'Be exact.' }));
		const replaced = await updateAgent(context, 'math', input({ slug: 'maths', name: 'Maths' }));
		expect(replaced).toMatchObject({ slug: 'maths', system_prompt: '' });
		await expectAppError(getAgentResource(temp.db, admin, 'math'), 'not_found');
	});

	it('refuses a slug another agent has, but keeps an agent’s own', async () => {
		await createAgent(context, input({ slug: 'math', name: 'Math' }));
		await expectAppError(updateAgent(context, 'math', { slug: 'assistant' }), 'conflict', 'slug');
		expect(await updateAgent(context, 'math', { slug: 'math', name: 'Same' })).toMatchObject({ slug: 'math' });
	});

	it('refuses code agents, non-admins and unknown agents', async () => {
		await temp.db.insert(agents).values({ slug: 'support', name: 'Support', model: 'mock:offline', source: 'code' });
		await expectAppError(updateAgent(context, 'support', { name: 'X' }), 'conflict');
		await expectAppError(deleteAgent(context, 'support'), 'conflict');
		await expectAppError(updateAgent({ ...context, viewer: user }, 'assistant', { name: 'X' }), 'forbidden');
		await expectAppError(updateAgent(context, 'missing', { name: 'X' }), 'not_found');
	});
});

describe('deleteAgent', () => {
	it('deletes an agent without tasks', async () => {
		await createAgent(context, input({ slug: 'math', name: 'Math', tools: [await toolId('calculator')] }));
		await deleteAgent(context, 'math');
		await expectAppError(getAgentResource(temp.db, admin, 'math'), 'not_found');
	});

	it('keeps an agent with tasks, saying why', async () => {
		const [assistant] = await temp.db.select().from(agents).where(eq(agents.slug, 'assistant'));
		await createTask(temp.db, { viewer: { kind: 'anonymous', anonymousId: 'anon-12345678' }, agentId: assistant.id });
		const error = await expectAppError(deleteAgent(context, 'assistant'), 'conflict');
		expect(error.message).toContain('has 1 task');
		expect(await getAgentResource(temp.db, admin, 'assistant')).toMatchObject({ slug: 'assistant' });
	});

	it('is for admins only', async () => {
		await expectAppError(deleteAgent({ ...context, viewer: user }, 'tool-demo'), 'forbidden');
	});
});
