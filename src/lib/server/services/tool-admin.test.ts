import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { parseConfig } from '../config';
import { agentTools, tools } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import { agentInputSchema, createAgent, getAgentResource } from './agent-admin';
import { createTool, deleteTool, getToolResource, listToolResources, toolInputSchema, toolPatchSchema, updateTool } from './tool-admin';
import type { Viewer } from './viewer';

const user: Viewer = { kind: 'user', id: 'u1', role: 'user' };
const admin: Viewer = { kind: 'user', id: 'a1', role: 'admin' };

let temp: TempDb;
let context: { db: TempDb['db']; viewer: Viewer };

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	context = { db: temp.db, viewer: admin };
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

const input = (fields: Record<string, unknown>) => toolInputSchema.parse(fields);

const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

describe('toolInputSchema', () => {
	it('fills defaults: an empty object input, no config, no approval', () => {
		expect(input({ name: 'ask_user', kind: 'client' })).toStrictEqual({
			name: 'ask_user',
			kind: 'client',
			description: '',
			input_schema: { type: 'object', properties: {} },
			config: {},
			requires_approval: false
		});
	});

	it.each(['has space', 'a'.repeat(65), '', 'dots.not.allowed'])('refuses the name %j', (name) => {
		expect(toolInputSchema.safeParse({ name, kind: 'client' }).error?.issues[0].path).toStrictEqual(['name']);
	});

	it('refuses an unknown kind, naming it', () => {
		expect(toolInputSchema.safeParse({ name: 'x', kind: 'shell' }).error?.issues[0].path).toStrictEqual(['kind']);
	});

	it('leaves left-out fields out of a patch', () => {
		expect(toolPatchSchema.parse({ requires_approval: true })).toStrictEqual({ requires_approval: true });
	});
});

describe('createTool', () => {
	it('stores a client tool', async () => {
		const created = await createTool(
			context,
			input({ name: 'lookup_weather', kind: 'client', description: 'Weather', input_schema: weatherSchema })
		);
		expect(created).toMatchObject({
			name: 'lookup_weather',
			kind: 'client',
			input_schema: weatherSchema,
			config: {},
			requires_approval: false
		});
		expect(await getToolResource(temp.db, admin, created.id)).toStrictEqual(created);
	});

	it('stores an HTTP tool with its config normalised', async () => {
		const created = await createTool(
			context,
			input({
				name: 'weather',
				kind: 'http',
				config: { url: 'https://api.example.com/weather/{{city}}', method: 'get', headers: { authorization: 'Bearer s3cret' } },
				input_schema: weatherSchema,
				requires_approval: true
			})
		);
		expect(created.config).toStrictEqual({
			url: 'https://api.example.com/weather/{{city}}',
			method: 'GET',
			headers: { authorization: 'Bearer s3cret' },
			allowed_hosts: []
		});
		expect(created.requires_approval).toBe(true);
	});

	it('refuses a broken HTTP config, naming config', async () => {
		const error = await expectAppError(
			createTool(context, input({ name: 'weather', kind: 'http', config: { url: 'ftp://example.com' } })),
			'invalid_input',
			'config'
		);
		expect(error.message).toContain('url');
		await expectAppError(
			createTool(context, input({ name: 'weather', kind: 'http', config: { url: 'https://example.com', timeout_ms: 0 } })),
			'invalid_input',
			'config'
		);
	});

	it('refuses a built-in that does not exist, and a taken name', async () => {
		const error = await expectAppError(createTool(context, input({ name: 'shell', kind: 'builtin' })), 'invalid_input', 'name');
		expect(error.message).toContain('calculator');
		await expectAppError(createTool(context, input({ name: 'calculator', kind: 'builtin' })), 'conflict', 'name');
		await expectAppError(createTool(context, input({ name: 'calculator', kind: 'client' })), 'conflict', 'name');
	});

	it('refuses an input schema that is not an object schema or does not compile', async () => {
		await expectAppError(
			createTool(context, input({ name: 'x', kind: 'client', input_schema: { type: 'string' } })),
			'invalid_input',
			'input_schema'
		);
		await expectAppError(
			createTool(context, input({ name: 'x', kind: 'client', input_schema: { type: 'object', properties: 7 } })),
			'invalid_input',
			'input_schema'
		);
	});

	it('is for admins only', async () => {
		await expectAppError(createTool({ ...context, viewer: user }, input({ name: 'x', kind: 'client' })), 'forbidden');
	});
});

describe('listToolResources and getToolResource', () => {
	it('show admins every tool, and others the tools of the agents they may use', async () => {
		expect((await listToolResources(temp.db, admin)).map((tool) => tool.name)).toStrictEqual([
			'calculator',
			'current_time',
			'http_request',
			'search_products',
			'search_knowledge'
		]);
		expect((await listToolResources(temp.db, user)).map((tool) => tool.name)).toStrictEqual([
			'calculator',
			'current_time',
			'search_products'
		]);
		const [httpRequest] = await temp.db.select().from(tools).where(eq(tools.name, 'http_request'));
		await expectAppError(getToolResource(temp.db, user, httpRequest.id), 'not_found', 'id');
		await expectAppError(getToolResource(temp.db, admin, 'nope'), 'not_found', 'id');
	});

	it('show the config of tools (URL, headers, allowed hosts) to admins only', async () => {
		const config = {
			url: 'https://api.internal.example/weather',
			method: 'GET',
			headers: { authorization: 'Bearer s3cret' },
			allowed_hosts: ['api.internal.example']
		};
		const weather = await createTool(context, input({ name: 'weather', kind: 'http', config }));
		await createAgent(
			{ ...context, config: parseConfig({}) },
			agentInputSchema.parse({ slug: 'forecast', name: 'Forecast', tools: [weather.id] })
		);
		expect((await getToolResource(temp.db, user, weather.id)).config).toStrictEqual({});
		const listed = (await listToolResources(temp.db, user)).find((tool) => tool.id === weather.id);
		expect(listed).toMatchObject({ name: 'weather', kind: 'http', config: {} });
		expect((await getToolResource(temp.db, admin, weather.id)).config).toMatchObject(config);
		expect((await listToolResources(temp.db, admin)).find((tool) => tool.id === weather.id)?.config).toMatchObject(config);
	});
});

describe('updateTool', () => {
	it('changes only the fields of a patch, checking the result as a whole', async () => {
		const created = await createTool(context, input({ name: 'lookup_weather', kind: 'client', input_schema: weatherSchema }));
		const updated = await updateTool(context, created.id, { requires_approval: true, description: 'Looks it up' });
		expect(updated).toMatchObject({ requires_approval: true, description: 'Looks it up', input_schema: weatherSchema });
		await expectAppError(updateTool(context, created.id, { kind: 'http' }), 'invalid_input', 'config');
		await expectAppError(updateTool(context, created.id, { name: 'calculator' }), 'conflict', 'name');
		expect(await updateTool(context, created.id, { name: 'lookup_weather' })).toMatchObject({ name: 'lookup_weather' });
	});

	it('refuses non-admins and unknown tools', async () => {
		await expectAppError(updateTool({ ...context, viewer: user }, 1, { description: 'x' }), 'forbidden');
		await expectAppError(updateTool(context, 9999, { description: 'x' }), 'not_found');
	});
});

describe('deleteTool', () => {
	it('deletes a tool and takes it off the agents that had it', async () => {
		const [calculator] = await temp.db.select().from(tools).where(eq(tools.name, 'calculator'));
		await deleteTool(context, calculator.id);
		await expectAppError(getToolResource(temp.db, admin, calculator.id), 'not_found');
		expect(await temp.db.select().from(agentTools).where(eq(agentTools.toolId, calculator.id))).toStrictEqual([]);
		expect((await getAgentResource(temp.db, admin, 'tool-demo')).tools).not.toContain(calculator.id);
	});

	it('is for admins only', async () => {
		await expectAppError(deleteTool({ ...context, viewer: user }, 1), 'forbidden');
	});
});
