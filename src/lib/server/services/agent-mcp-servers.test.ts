import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { parseConfig } from '../config';
import { agentMcpServers, mcpServers, tools, type Tool } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import { syncServerTools } from '../mcp/servers';
import { agentInputSchema, agentPatchSchema, createAgent, getAgentResource, updateAgent, type AdminContext } from './agent-admin';
import { listAgentTools, mergeAgentTools } from './agents';
import { deleteMcpServer } from './mcp-servers';
import type { Viewer } from './viewer';

/** Agents that use all the tools of an MCP server (`mcp_servers`), now and later. */

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
	if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
	expect(error.code).toBe(code);
	if (field !== undefined) expect(error.field).toBe(field);
	return error;
}

/** A stored MCP server with the given tools, as a refresh would leave it. */
async function addServer(name: string, toolNames: string[]): Promise<number> {
	const [server] = await temp.db
		.insert(mcpServers)
		.values({ name, transport: 'http', url: `https://${name}.example/mcp` })
		.returning();
	await syncServerTools(temp.db, server, listing(toolNames));
	return server.id;
}

const listing = (names: string[]) => names.map((name) => ({ name, description: `The ${name} tool.`, inputSchema: { type: 'object' } }));

async function toolId(name: string): Promise<number> {
	const [row] = await temp.db.select({ id: tools.id }).from(tools).where(eq(tools.name, name));
	return row.id;
}

const names = (rows: Tool[]) => rows.map((row) => row.name);

describe('mergeAgentTools', () => {
	const row = (id: number, mcpServerId: number | null, kind: Tool['kind'] = 'mcp') => ({ id, name: `t${id}`, kind, mcpServerId }) as Tool;

	it('puts the servers’ tools after the agent’s own, by server order, each tool once', () => {
		const own = [row(1, null, 'builtin'), row(11, 2)];
		const serverTools = [row(10, 1), row(11, 2), row(12, 2), row(13, 3)];
		expect(mergeAgentTools(own, [2, 1], serverTools).map((tool) => tool.id)).toEqual([1, 11, 12, 10]);
		expect(mergeAgentTools(own, [], serverTools).map((tool) => tool.id)).toEqual([1, 11]);
	});

	it('takes only MCP tools from the servers', () => {
		expect(mergeAgentTools([], [1], [row(5, 1, 'http')])).toEqual([]);
	});
});

describe('agents with mcp_servers', () => {
	it('stores, returns and replaces the servers; a PATCH without them keeps them', async () => {
		const docs = await addServer('docs', ['search', 'fetch']);
		const wiki = await addServer('wiki', ['page']);
		const created = await createAgent(context, agentInputSchema.parse({ slug: 'reader', name: 'Reader', mcp_servers: [wiki, docs] }));
		expect(created.mcp_servers).toEqual([wiki, docs]);
		expect((await getAgentResource(temp.db, admin, 'reader')).mcp_servers).toEqual([wiki, docs]);
		const renamed = await updateAgent(context, 'reader', agentPatchSchema.parse({ name: 'Reader 2' }));
		expect(renamed.mcp_servers).toEqual([wiki, docs]);
		const cleared = await updateAgent(context, 'reader', agentPatchSchema.parse({ mcp_servers: [] }));
		expect(cleared.mcp_servers).toEqual([]);
		expect(await temp.db.select().from(agentMcpServers)).toEqual([]);
	});

	it('refuses an unknown server (422, naming it), too many servers, and one named twice', async () => {
		const docs = await addServer('docs', ['search']);
		const unknown = await expectAppError(
			createAgent(context, agentInputSchema.parse({ slug: 'x', name: 'X', mcp_servers: [docs, 4242] })),
			'unprocessable',
			'mcp_servers'
		);
		expect(unknown.message).toContain('4242');
		const wiki = await addServer('wiki', ['page']);
		await expectAppError(
			createAgent(
				{ ...context, config: parseConfig({ MCP_SERVERS_LIMIT: '1' }) },
				agentInputSchema.parse({ slug: 'x', name: 'X', mcp_servers: [docs, wiki] })
			),
			'invalid_input',
			'mcp_servers'
		);
		expect(agentInputSchema.safeParse({ slug: 'x', name: 'X', mcp_servers: [docs, docs] }).success).toBe(false);
		expect(agentInputSchema.safeParse({ slug: 'x', name: 'X', mcp_servers: ['docs'] }).success).toBe(false);
	});

	it('a run’s tools: the agent’s own, then every tool its servers offer now, each once, with its own requires_approval', async () => {
		const docs = await addServer('docs', ['search', 'fetch']);
		await temp.db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'fetch'));
		const calculator = await toolId('calculator');
		const search = await toolId('search');
		const { id } = await createAgent(
			context,
			agentInputSchema.parse({ slug: 'reader', name: 'Reader', tools: [calculator, search], mcp_servers: [docs] })
		);
		const first = await listAgentTools(temp.db, id);
		expect(names(first)).toEqual(['calculator', 'search', 'fetch']);
		expect(first.find((tool) => tool.name === 'fetch')?.requiresApproval).toBe(true);

		// The server's list changes (a refresh, or list_changed): new tools join, dropped ones leave.
		const [server] = await temp.db.select().from(mcpServers).where(eq(mcpServers.id, docs));
		await syncServerTools(temp.db, server, listing(['fetch', 'summarize']));
		expect(names(await listAgentTools(temp.db, id))).toEqual(['calculator', 'fetch', 'summarize']);
	});

	it('deleting a server drops it from its agents', async () => {
		const docs = await addServer('docs', ['search']);
		const { id } = await createAgent(context, agentInputSchema.parse({ slug: 'reader', name: 'Reader', mcp_servers: [docs] }));
		await deleteMcpServer(context, docs);
		expect((await getAgentResource(temp.db, admin, id)).mcp_servers).toEqual([]);
		expect(await listAgentTools(temp.db, id)).toEqual([]);
	});
});
