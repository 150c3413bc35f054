/**
 * Bad input on every public endpoint (`api.md` "Errors"): missing and wrongly typed fields,
 * unknown agents, someone else's task, session, thread or file, no key, a revoked key, bodies
 * over the limits, the wrong content type or `Accept`. Each must answer its status with a JSON
 * error body (Parley's `{"error":{"code","message","field?"}}`, OpenAI's shape under `/v1`),
 * never a 500 or a page, and must leave the database as it was: checked after every case, and
 * for the whole matrix at the end.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, mcpServers, tools, users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

/** The limits the server runs with, small enough to go over cheaply. */
const JSON_BODY_LIMIT = 2000;
const FILE_SIZE_LIMIT = 1000;

let server: TestServer;
let db: Db;

/** API keys: the admin's (the first account), another user's, and a revoked one of the admin's. */
const keys = { admin: '', bob: '', revoked: '' };

/** Ids of things made before the matrix, put into paths and bodies where `{name}` stands. */
const fixtures: Record<'task' | 'file' | 'tool' | 'spareTool' | 'mcpServer', string> = {
	task: '',
	file: '',
	tool: '',
	spareTool: '',
	mcpServer: ''
};

/** The tables whose row counts must not change. */
const TABLES = [
	'tasks',
	'messages',
	'files',
	'agents',
	'tools',
	'agent_tools',
	'api_keys',
	'teams',
	'mcp_servers',
	'agent_mcp_servers'
] as const;

type Counts = Record<string, number>;

/** Row counts of every watched table. */
async function countRows(): Promise<Counts> {
	const counts: Counts = {};
	for (const table of TABLES) {
		const result = await db.$client.execute(`SELECT count(*) AS n FROM ${table}`);
		counts[table] = Number(result.rows[0].n);
	}
	return counts;
}

let before: Counts;

beforeAll(async () => {
	server = await startServer({
		JSON_BODY_LIMIT: String(JSON_BODY_LIMIT),
		FILE_SIZE_LIMIT: String(FILE_SIZE_LIMIT),
		RATE_LIMIT_PER_MINUTE: '100000',
		MOCK_TOKEN_DELAY_MS: '0'
	});
	await signUp(server.baseURL, 'admin@example.com');
	await signUp(server.baseURL, 'bob@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const userId = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0].id;
	const adminId = await userId('admin@example.com');
	keys.admin = (await createApiKey(db, adminId, 'matrix')).key;
	keys.bob = (await createApiKey(db, await userId('bob@example.com'), 'matrix')).key;
	// Revoked before the counts are taken: the revocation is an update, not a row.
	const revoked = await createApiKey(db, adminId, 'revoked');
	await revokeApiKey(db, revoked.id, adminId);
	keys.revoked = revoked.key;

	// An agent with a context schema, one whose provider is not configured on this server, and
	// an agent and a tool that writes may target (so that a wrongly accepted write shows as a change).
	await db.insert(agents).values([
		{
			slug: 'planner',
			name: 'Planner',
			model: 'mock:offline',
			contextSchema: { type: 'object', required: ['plan'], properties: { plan: { type: 'string', enum: ['free', 'pro'] } } }
		},
		{ slug: 'broken', name: 'Broken', model: 'openai:gpt-4o' },
		{ slug: 'spare', name: 'Spare', model: 'mock:offline' }
	]);
	const [spareTool] = await db.insert(tools).values({ name: 'spare_tool', kind: 'client' }).returning();
	fixtures.spareTool = String(spareTool.id);
	const [calculator] = await db.select().from(tools).where(eq(tools.name, 'calculator'));
	fixtures.tool = String(calculator.id);
	// An MCP server that is never reached (a request that wrongly got through would try it, and show as a change).
	const [mcpServer] = await db
		.insert(mcpServers)
		.values({ name: 'matrix-server', transport: 'http', url: 'https://mcp.invalid/mcp' })
		.returning();
	fixtures.mcpServer = String(mcpServer.id);

	// A finished session of the admin's, and a file of the admin's.
	const chat = await fetch(`${server.baseURL}/api/agent/chat/`, {
		method: 'POST',
		headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' },
		body: JSON.stringify({ message: 'A fixture session', agent_id: 'assistant' })
	});
	expect(chat.status).toBe(200);
	fixtures.task = z.object({ session_id: z.string(), status: z.literal('completed') }).parse(await chat.json()).session_id;
	const form = new FormData();
	form.append('file', new File(['A fixture file.'], 'fixture.txt', { type: 'text/plain' }));
	const upload = await fetch(`${server.baseURL}/api/files`, {
		method: 'POST',
		headers: { authorization: `Bearer ${keys.admin}` },
		body: form
	});
	expect(upload.status).toBe(201);
	fixtures.file = z.object({ files: z.array(z.object({ id: z.string() })) }).parse(await upload.json()).files[0].id;

	before = await countRows();
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Who sends a request. */
type Caller = 'admin' | 'bob' | 'revoked' | 'unknown-key' | 'none';

type FormValue = string | File;

/** One row of the matrix. */
interface Case {
	name: string;
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** With `{task}`, `{file}`, `{tool}`, `{spareTool}` standing for the fixtures' ids. */
	path: string;
	as: Caller;
	/** A JSON body (`content-type: application/json`). */
	json?: unknown;
	/** A JSON body sent in chunks, without a `content-length`. */
	chunked?: unknown;
	/** Any other body, with its content type. */
	raw?: { body: string; type: string };
	/** A multipart form. */
	form?: Record<string, FormValue | FormValue[]>;
	/** `Accept`; `null` leaves fetch's default. The team message endpoint otherwise gets `text/event-stream`. */
	accept?: string | null;
	status: number;
	/** The field (`param` under `/v1`) the error must name. */
	field?: string | null;
}

/** Parley's error code for each status. */
const CODE_OF_STATUS: Record<number, string> = {
	400: 'invalid_input',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
	405: 'method_not_allowed',
	406: 'not_acceptable',
	409: 'conflict',
	413: 'payload_too_large',
	415: 'unsupported_media_type',
	422: 'unprocessable'
};

/** Parley's error body, exactly. */
const parleyError = z.strictObject({
	error: z.strictObject({ code: z.string(), message: z.string().min(1), field: z.string().min(1).optional() })
});

/** OpenAI's error body, exactly. */
const openAIError = z.strictObject({
	error: z.strictObject({
		message: z.string().min(1),
		type: z.string().min(1),
		param: z.string().nullable(),
		code: z.string().nullable()
	})
});

const big = 'x'.repeat(JSON_BODY_LIMIT + 1000);
const bigFile = new File([new Uint8Array(FILE_SIZE_LIMIT + 500).fill(65)], 'big.txt', { type: 'text/plain' });
const smallFile = new File(['Hello.'], 'hello.txt', { type: 'text/plain' });
const emptyFile = new File([], 'empty.txt', { type: 'text/plain' });

/** New task ids for `/api/chat`: one per case, so that a case that wrongly makes a task cannot change the next. */
let chatTasks = 0;

/** Valid bodies of each face, to spoil one field at a time. */
const chatBody = (changes: Record<string, unknown> = {}) => ({
	id: `matrix-task-${++chatTasks}`,
	messages: [{ id: 'matrix-q-1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] }],
	trigger: 'submit-message',
	...changes
});
const withFile = (url: string) =>
	chatBody({
		messages: [
			{
				id: 'matrix-q-1',
				role: 'user',
				parts: [
					{ type: 'text', text: 'See this' },
					{ type: 'file', mediaType: 'image/png', url }
				]
			}
		]
	});
const agentBody = (changes: Record<string, unknown> = {}) => ({ message: 'Hello', agent_id: 'assistant', ...changes });
const toolOutputBody = (changes: Record<string, unknown> = {}) => ({ session_id: '{task}', call_id: 'call_1', output: 1, ...changes });
const assistantBody = (changes: Record<string, unknown> = {}) => ({
	commands: [{ type: 'add-message', message: { role: 'user', parts: [{ type: 'text', text: 'Hello' }] } }],
	...changes
});
const completionBody = (changes: Record<string, unknown> = {}) => ({
	model: 'assistant',
	messages: [{ role: 'user', content: 'Hello' }],
	...changes
});
const teamForm = (changes: Record<string, FormValue | FormValue[]> = {}) => ({
	id_team_agent: 'assistant',
	id_team: 'matrix-team',
	text: 'Hello',
	...changes
});

/** Every endpoint once with a request that would otherwise do something, and who may call it without a key. */
const endpoints: (Omit<Case, 'name' | 'as' | 'status'> & { noKey: number | null; noKeyField?: string })[] = [
	{ method: 'POST', path: '/api/chat', json: chatBody(), noKey: 401 },
	{ method: 'GET', path: '/api/chat/{task}/stream', noKey: 404, noKeyField: 'taskId' },
	{ method: 'POST', path: '/api/chat/{task}/stop', noKey: 404, noKeyField: 'taskId' },
	{ method: 'POST', path: '/api/agent/stream/', json: agentBody(), noKey: 401 },
	{ method: 'POST', path: '/api/agent/tool-output/', json: toolOutputBody(), noKey: 404, noKeyField: 'session_id' },
	{ method: 'POST', path: '/api/agent/chat/', json: agentBody(), noKey: 401 },
	{ method: 'GET', path: '/api/agents/', noKey: 401 },
	{ method: 'POST', path: '/api/agents/', json: { slug: 'matrix', name: 'Matrix' }, noKey: 401 },
	{ method: 'GET', path: '/api/agents/assistant/', noKey: 401 },
	{ method: 'PUT', path: '/api/agents/spare/', json: { slug: 'spare', name: 'Changed' }, noKey: 401 },
	{ method: 'PATCH', path: '/api/agents/spare/', json: { name: 'Changed' }, noKey: 401 },
	{ method: 'DELETE', path: '/api/agents/spare/', noKey: 401 },
	{ method: 'GET', path: '/api/tools/', noKey: 401 },
	{ method: 'POST', path: '/api/tools/', json: { name: 'matrix_tool', kind: 'client' }, noKey: 401 },
	{ method: 'GET', path: '/api/tools/{tool}/', noKey: 401 },
	{ method: 'PUT', path: '/api/tools/{spareTool}/', json: { name: 'spare_tool', kind: 'client', description: 'Changed' }, noKey: 401 },
	{ method: 'PATCH', path: '/api/tools/{spareTool}/', json: { description: 'Changed' }, noKey: 401 },
	{ method: 'DELETE', path: '/api/tools/{spareTool}/', noKey: 401 },
	{ method: 'GET', path: '/api/mcp-servers/', noKey: 401 },
	{ method: 'POST', path: '/api/mcp-servers/', json: { name: 'matrix', url: 'https://mcp.invalid/mcp' }, noKey: 401 },
	{ method: 'GET', path: '/api/mcp-servers/{mcpServer}/', noKey: 401 },
	{ method: 'PATCH', path: '/api/mcp-servers/{mcpServer}/', json: { name: 'changed' }, noKey: 401 },
	{ method: 'DELETE', path: '/api/mcp-servers/{mcpServer}/', noKey: 401 },
	{ method: 'POST', path: '/api/mcp-servers/{mcpServer}/refresh', noKey: 401 },
	{ method: 'POST', path: '/assistant', json: assistantBody(), noKey: 401 },
	{ method: 'POST', path: '/api/teams/messages', form: teamForm(), noKey: 401 },
	{ method: 'GET', path: '/api/teams/tasks/assistant', noKey: 401 },
	{ method: 'POST', path: '/api/teams/tasks/assistant', form: { id_team: 'matrix-team', text: 'Hello' }, noKey: 401 },
	{ method: 'GET', path: '/api/teams/tasks/assistant/{task}', noKey: 401 },
	{ method: 'DELETE', path: '/api/teams/tasks/assistant/{task}', noKey: 401 },
	// Anonymous callers see the public agents (none here): no error without a key.
	{ method: 'GET', path: '/v1/models', noKey: null },
	{ method: 'POST', path: '/v1/chat/completions', json: completionBody(), noKey: 401 },
	{ method: 'POST', path: '/api/files', form: { file: smallFile }, noKey: 401 },
	// Anonymous callers may own files: someone else's is unknown to them.
	{ method: 'GET', path: '/api/files/{file}', noKey: 404, noKeyField: 'id' },
	{ method: 'GET', path: '/api/files/{file}/meta', noKey: 404, noKeyField: 'id' }
];

/** No key, a revoked key and an unknown key, on every endpoint. */
const authCases: Case[] = endpoints.flatMap(({ noKey, noKeyField, ...endpoint }) => {
	const cases: Case[] = [
		{ ...endpoint, name: `${endpoint.method} ${endpoint.path}: a revoked key`, as: 'revoked', status: 401 },
		{ ...endpoint, name: `${endpoint.method} ${endpoint.path}: an unknown key`, as: 'unknown-key', status: 401 }
	];
	if (noKey !== null) {
		cases.push({ ...endpoint, name: `${endpoint.method} ${endpoint.path}: no key`, as: 'none', status: noKey, field: noKeyField });
	}
	return cases;
});

/**
 * One row: `route` is `METHOD /path` as api.md names it (the request goes to `request.path` when
 * given, for paths with ids in them); sent by the admin unless `request.as` says otherwise.
 */
function bad(route: string, name: string, status: number, field: string | null | undefined, request: Partial<Case> = {}): Case {
	const [method, path] = route.split(' ');
	const methods: Case['method'][] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
	const known = methods.find((candidate) => candidate === method);
	if (!known || !path) throw new Error(`Bad route "${route}"`);
	return { name: `${route}: ${name}`, method: known, path, as: 'admin', status, field, ...request };
}

/** What every JSON endpoint must refuse the same way; `field` is how it names the whole body. */
function jsonBodyCases(route: string, valid: Record<string, unknown>, options: { path?: string; field?: string | null } = {}): Case[] {
	const field = options.field === undefined ? 'body' : options.field;
	const path = options.path === undefined ? {} : { path: options.path };
	const form = { body: 'message=Hello&agent_id=assistant', type: 'application/x-www-form-urlencoded' };
	return [
		bad(route, 'malformed JSON', 400, field, { ...path, raw: { body: '{"oops', type: 'application/json' } }),
		bad(route, 'a JSON array, not an object', 400, field, { ...path, json: [valid] }),
		bad(route, 'a form-encoded body', 400, field, { ...path, raw: form }),
		bad(route, 'a body over JSON_BODY_LIMIT', 413, undefined, { ...path, json: { ...valid, padding: big } }),
		bad(route, 'a chunked body over JSON_BODY_LIMIT', 413, undefined, { ...path, chunked: { ...valid, padding: big } })
	];
}

const chatCases: Case[] = [
	...jsonBodyCases('POST /api/chat', chatBody()),
	bad('POST /api/chat', 'no id', 400, 'id', { json: chatBody({ id: undefined }) }),
	bad('POST /api/chat', 'messages not a list', 400, 'messages', { json: chatBody({ messages: 'Hello' }) }),
	bad('POST /api/chat', 'no messages', 400, 'messages', { json: chatBody({ messages: [] }) }),
	bad('POST /api/chat', 'an id too short for a new task', 400, 'id', { json: chatBody({ id: 'short' }) }),
	bad('POST /api/chat', 'agentId of the wrong type', 400, 'agentId', { json: chatBody({ agentId: true }) }),
	bad('POST /api/chat', 'context not an object', 400, 'context', { json: chatBody({ context: 'pro' }) }),
	bad('POST /api/chat', 'regenerating on a new task', 400, 'trigger', { json: chatBody({ trigger: 'regenerate-message' }) }),
	bad('POST /api/chat', 'an unknown agent', 404, 'agentId', { json: chatBody({ agentId: 'nobody' }) }),
	bad('POST /api/chat', 'someone else’s task', 404, 'id', { as: 'bob', json: chatBody({ id: '{task}' }) }),
	bad('POST /api/chat', 'context against the agent’s schema', 422, 'context.plan', {
		json: chatBody({ agentId: 'planner', context: { plan: 'gold' } })
	}),
	bad('POST /api/chat', 'an agent whose provider is not configured', 400, undefined, { json: chatBody({ agentId: 'broken' }) }),
	bad('POST /api/chat', 'a link to someone else’s upload', 404, 'messages', { as: 'bob', json: withFile('/api/files/{file}') }),
	bad('POST /api/chat', 'a link to no upload', 404, 'messages', { json: withFile('/api/files/nothing-here') }),
	bad('POST /api/chat', 'a file part with a remote address', 400, 'messages', {
		json: withFile('http://169.254.169.254/latest/meta-data')
	}),
	bad('GET /api/chat/{id}/stream', 'an unknown task', 404, 'taskId', { path: '/api/chat/no-such-task/stream' }),
	bad('GET /api/chat/{id}/stream', 'someone else’s task', 404, 'taskId', { as: 'bob', path: '/api/chat/{task}/stream' }),
	bad('POST /api/chat/{id}/stop', 'an unknown task', 404, 'taskId', { path: '/api/chat/no-such-task/stop' }),
	bad('POST /api/chat/{id}/stop', 'someone else’s task', 404, 'taskId', { as: 'bob', path: '/api/chat/{task}/stop' })
];

/** The agent API's run endpoints take the same input. */
function agentRunCases(route: string): Case[] {
	const row = (name: string, json: unknown, status: number, field?: string, as: Caller = 'admin') =>
		bad(route, name, status, field, { as, json });
	const inline = (base64: string | undefined) => ({ name: 'a.txt', mime_type: 'text/plain', base64 });
	return [
		...jsonBodyCases(route, agentBody()),
		row('no message', agentBody({ message: undefined }), 400, 'message'),
		row('message of the wrong type', agentBody({ message: 42 }), 400, 'message'),
		row('an empty message without files', agentBody({ message: '  ' }), 400, 'message'),
		row('no agent_id', agentBody({ agent_id: undefined }), 400, 'agent_id'),
		row('agent_id of the wrong type', agentBody({ agent_id: { slug: 'assistant' } }), 400, 'agent_id'),
		row('session_id of the wrong type', agentBody({ session_id: true }), 400, 'session_id'),
		row('auto_execute_tools of the wrong type', agentBody({ auto_execute_tools: 'no' }), 400, 'auto_execute_tools'),
		row('files not a list', agentBody({ files: 'abc' }), 400, 'files'),
		row('an inline file without content', agentBody({ files: [inline(undefined)] }), 400, 'files.0'),
		row('an inline file that is not base64', agentBody({ files: [inline('@@@')] }), 400, 'files.0.base64'),
		row('context not an object', agentBody({ context: ['pro'] }), 400, 'context'),
		row('an unknown agent', agentBody({ agent_id: 'nobody' }), 404, 'agent_id'),
		row('an unknown agent id', agentBody({ agent_id: 999999 }), 404, 'agent_id'),
		row('an unknown session', agentBody({ session_id: 'no-such-session' }), 404, 'session_id'),
		row('someone else’s session', agentBody({ session_id: '{task}' }), 404, 'session_id', 'bob'),
		row('an unknown file', agentBody({ files: ['no-such-file'] }), 404, 'files.0'),
		row('someone else’s file', agentBody({ files: ['{file}'] }), 404, 'files.0', 'bob'),
		row('context against the agent’s schema', agentBody({ agent_id: 'planner', context: { plan: 'gold' } }), 422, 'context.plan'),
		row('no context where the agent requires one', agentBody({ agent_id: 'planner' }), 422, 'context.plan'),
		row('an agent whose provider is not configured', agentBody({ agent_id: 'broken' }), 400)
	];
}

const toolOutputCases: Case[] = (() => {
	const route = 'POST /api/agent/tool-output/';
	const row = (name: string, json: unknown, status: number, field?: string, as: Caller = 'admin') =>
		bad(route, name, status, field, { as, json });
	return [
		...jsonBodyCases(route, toolOutputBody()),
		row('no session_id', toolOutputBody({ session_id: undefined }), 400, 'session_id'),
		row('no call_id', toolOutputBody({ call_id: undefined }), 400, 'call_id'),
		row('call_id of the wrong type', toolOutputBody({ call_id: 7 }), 400, 'call_id'),
		row('no output', toolOutputBody({ output: undefined }), 400, 'output'),
		row('an unknown session', toolOutputBody({ session_id: 'no-such-session' }), 404, 'session_id'),
		row('someone else’s session', toolOutputBody(), 404, 'session_id', 'bob'),
		row('a call that does not wait', toolOutputBody(), 404, 'call_id')
	];
})();

/** Agents and tools: reads need a user, writes an admin. */
const crudCases: Case[] = (() => {
	const agent = (method: Case['method'], name: string, status: number, field?: string, request: Partial<Case> = {}) =>
		bad(`${method} /api/agents/{id}`, name, status, field, { path: '/api/agents/spare/', ...request });
	const tool = (method: Case['method'], name: string, status: number, field?: string, request: Partial<Case> = {}) =>
		bad(`${method} /api/tools/{id}`, name, status, field, { path: '/api/tools/{spareTool}/', ...request });
	const newAgent = (changes: Record<string, unknown>) => ({ json: { slug: 'matrix', name: 'Matrix', ...changes } });
	const newTool = (changes: Record<string, unknown>) => ({ json: { name: 'matrix_tool', kind: 'client', ...changes } });
	return [
		...jsonBodyCases('POST /api/agents/', { slug: 'matrix', name: 'Matrix' }),
		...jsonBodyCases('PUT /api/agents/{id}', { slug: 'spare', name: 'Changed' }, { path: '/api/agents/spare/' }),
		...jsonBodyCases('PATCH /api/agents/{id}', { name: 'Changed' }, { path: '/api/agents/spare' }),
		...jsonBodyCases('POST /api/tools/', { name: 'matrix_tool', kind: 'client' }, { path: '/api/tools' }),
		...jsonBodyCases('PUT /api/tools/{id}', { name: 'spare_tool', kind: 'client' }, { path: '/api/tools/{spareTool}' }),
		...jsonBodyCases('PATCH /api/tools/{id}', { description: 'Changed' }, { path: '/api/tools/{spareTool}/' }),
		agent('GET', 'an unknown agent', 404, 'id', { path: '/api/agents/nobody/' }),
		agent('GET', 'an unknown agent id', 404, 'id', { path: '/api/agents/999999' }),
		bad('POST /api/agents/', 'not an admin', 403, undefined, { as: 'bob', ...newAgent({}) }),
		bad('POST /api/agents/', 'no name', 400, 'name', newAgent({ name: undefined })),
		bad('POST /api/agents/', 'name of the wrong type', 400, 'name', newAgent({ name: 7 })),
		bad('POST /api/agents/', 'an unknown tool', 400, 'tools', newAgent({ tools: [999999] })),
		bad('POST /api/agents/', 'a model of an unknown provider', 400, 'model', newAgent({ model: 'nowhere:model' })),
		bad('POST /api/agents/', 'a slug that is taken', 409, 'slug', newAgent({ slug: 'assistant' })),
		agent('PUT', 'not an admin', 403, undefined, { as: 'bob', json: { slug: 'spare', name: 'Changed' } }),
		agent('PUT', 'an unknown agent', 404, 'id', { path: '/api/agents/nobody/', json: { slug: 'nobody', name: 'Nobody' } }),
		agent('PUT', 'no name', 400, 'name', { json: { slug: 'spare' } }),
		agent('PATCH', 'not an admin', 403, undefined, { as: 'bob', json: { name: 'Changed' } }),
		agent('PATCH', 'an unknown agent', 404, 'id', { path: '/api/agents/nobody', json: { name: 'Changed' } }),
		agent('PATCH', 'temperature of the wrong type', 400, 'temperature', { json: { temperature: 'hot' } }),
		agent('PATCH', 'visibility not one of the choices', 400, 'visibility', { json: { visibility: 'everyone' } }),
		agent('DELETE', 'not an admin', 403, undefined, { as: 'bob' }),
		agent('DELETE', 'an unknown agent', 404, 'id', { path: '/api/agents/nobody/' }),
		tool('GET', 'an unknown tool', 404, 'id', { path: '/api/tools/999999/' }),
		tool('GET', 'an id that is not a number', 404, 'id', { path: '/api/tools/calculator' }),
		bad('POST /api/tools/', 'not an admin', 403, undefined, { as: 'bob', ...newTool({}) }),
		bad('POST /api/tools/', 'no kind', 400, 'kind', newTool({ kind: undefined })),
		bad('POST /api/tools/', 'an unknown kind', 400, 'kind', newTool({ kind: 'alien' })),
		bad('POST /api/tools/', 'requires_approval of the wrong type', 400, 'requires_approval', newTool({ requires_approval: 'yes' })),
		bad('POST /api/tools/', 'an HTTP tool with a bad URL', 400, 'config', newTool({ kind: 'http', config: { url: 'not a url' } })),
		bad('POST /api/tools/', 'a name that is taken', 409, undefined, newTool({ name: 'calculator' })),
		tool('PUT', 'not an admin', 403, undefined, { as: 'bob', json: { name: 'spare_tool', kind: 'client' } }),
		tool('PUT', 'an unknown tool', 404, 'id', { path: '/api/tools/999999/', json: { name: 'spare_tool', kind: 'client' } }),
		tool('PUT', 'no kind', 400, 'kind', { json: { name: 'spare_tool' } }),
		tool('PATCH', 'not an admin', 403, undefined, { as: 'bob', json: { description: 'Changed' } }),
		tool('PATCH', 'an unknown tool', 404, 'id', { path: '/api/tools/999999', json: { description: 'Changed' } }),
		tool('PATCH', 'input_schema of the wrong type', 400, 'input_schema', { json: { input_schema: 'any' } }),
		tool('DELETE', 'not an admin', 403, undefined, { as: 'bob' }),
		tool('DELETE', 'an unknown tool', 404, 'id', { path: '/api/tools/999999/' })
	];
})();

/** MCP servers (admins only): every write is checked before anything is stored or reached. */
const mcpServerCases: Case[] = (() => {
	const create = (name: string, changes: Record<string, unknown>, status: number, field?: string, as: Caller = 'admin') =>
		bad('POST /api/mcp-servers/', name, status, field, { as, json: { name: 'matrix', url: 'https://mcp.invalid/mcp', ...changes } });
	const patch = (name: string, json: unknown, status: number, field?: string, request: Partial<Case> = {}) =>
		bad('PATCH /api/mcp-servers/{id}', name, status, field, { path: '/api/mcp-servers/{mcpServer}/', json, ...request });
	const item = (method: 'GET' | 'DELETE', name: string, path: string, status: number, field?: string, as: Caller = 'admin') =>
		bad(`${method} /api/mcp-servers/{id}`, name, status, field, { path, as });
	const refresh = (name: string, path: string, status: number, field?: string, as: Caller = 'admin') =>
		bad('POST /api/mcp-servers/{id}/refresh', name, status, field, { path, as });
	const many = (count: number, make: (index: number) => string) => Array.from({ length: count }, (_, index) => make(index));
	const headers = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`H${index}`, 'v']));
	return [
		...jsonBodyCases('POST /api/mcp-servers/', { name: 'matrix', url: 'https://mcp.invalid/mcp' }),
		...jsonBodyCases('PATCH /api/mcp-servers/{id}', { name: 'changed' }, { path: '/api/mcp-servers/{mcpServer}/' }),
		create('not an admin', {}, 403, undefined, 'bob'),
		create('no name', { name: undefined }, 400, 'name'),
		create('name of the wrong type', { name: 7 }, 400, 'name'),
		create('a name with spaces', { name: 'has space' }, 400, 'name'),
		create('a name over 40 characters', { name: 'n'.repeat(41) }, 400, 'name'),
		create('a name that is taken', { name: 'matrix-server' }, 409, 'name'),
		create('an unknown transport', { transport: 'carrier-pigeon' }, 400, 'transport'),
		create('no url for http', { url: undefined }, 400, 'url'),
		create('url of the wrong type', { url: 42 }, 400, 'url'),
		create('a url that is not http(s)', { url: 'file:///etc/passwd' }, 400, 'url'),
		create('a url over JSON_BODY_LIMIT', { url: `https://mcp.invalid/${'x'.repeat(JSON_BODY_LIMIT)}` }, 413),
		create('headers not an object', { headers: ['Authorization: x'] }, 400, 'headers'),
		create('a header value of the wrong type', { headers: { Authorization: 7 } }, 400, 'headers.Authorization'),
		create('a header value with a line break', { headers: { 'X-A': 'a\r\nX-B: b' } }, 400, 'headers.X-A'),
		create('too many headers', { headers: headers(21) }, 400, 'headers'),
		create('allowed_hosts not a list', { allowed_hosts: '127.0.0.1' }, 400, 'allowed_hosts'),
		create('too many allowed_hosts', { allowed_hosts: many(21, (index) => `h${index}.example`) }, 400, 'allowed_hosts'),
		create('a host that is not a host name', { allowed_hosts: ['http://x/'] }, 400, 'allowed_hosts.0'),
		create('a stdio server while MCP_STDIO is off', { transport: 'stdio', url: undefined, command: 'node' }, 403, 'transport'),
		create('command of the wrong type', { transport: 'stdio', url: undefined, command: ['node'] }, 400, 'command'),
		create('a command over 1000 characters', { transport: 'stdio', url: undefined, command: 'c'.repeat(1001) }, 400, 'command'),
		create('args not a list', { transport: 'stdio', url: undefined, command: 'node', args: 'server.js' }, 400, 'args'),
		create('an argument of the wrong type', { transport: 'stdio', url: undefined, command: 'node', args: [1] }, 400, 'args.0'),
		create('too many args', { transport: 'stdio', url: undefined, command: 'node', args: many(51, () => 'a') }, 400, 'args'),
		create('an unknown field', { token: 'x' }, 400),
		patch('not an admin', { name: 'changed' }, 403, undefined, { as: 'bob' }),
		patch('an unknown server', { name: 'changed' }, 404, 'id', { path: '/api/mcp-servers/999999/' }),
		patch('an id that is not a number', { name: 'changed' }, 404, 'id', { path: '/api/mcp-servers/matrix-server/' }),
		patch('name of the wrong type', { name: ['changed'] }, 400, 'name'),
		patch('a url that is not a URL', { url: 'not a url' }, 400, 'url'),
		patch('too many headers', { headers: headers(21) }, 400, 'headers'),
		patch('too many args', { args: many(51, () => 'a') }, 400, 'args'),
		patch('too many allowed_hosts', { allowed_hosts: many(21, (index) => `h${index}.example`) }, 400, 'allowed_hosts'),
		patch('switching to stdio while MCP_STDIO is off', { transport: 'stdio', command: 'node' }, 403, 'transport'),
		patch('an unknown field', { secrets: 'x' }, 400),
		item('GET', 'not an admin', '/api/mcp-servers/{mcpServer}/', 403, undefined, 'bob'),
		item('GET', 'an unknown server', '/api/mcp-servers/999999/', 404, 'id'),
		item('GET', 'an id out of range', '/api/mcp-servers/99999999999999999999999/', 404, 'id'),
		item('DELETE', 'not an admin', '/api/mcp-servers/{mcpServer}/', 403, undefined, 'bob'),
		item('DELETE', 'an unknown server', '/api/mcp-servers/999999', 404, 'id'),
		refresh('not an admin', '/api/mcp-servers/{mcpServer}/refresh', 403, undefined, 'bob'),
		refresh('an unknown server', '/api/mcp-servers/999999/refresh', 404, 'id'),
		refresh('an id that is not a number', '/api/mcp-servers/-1/refresh/', 404, 'id'),
		bad('PUT /api/mcp-servers/{id}', 'a method it does not have', 405, undefined, { path: '/api/mcp-servers/{mcpServer}/' }),
		bad('POST /api/agents/', 'an unknown MCP server', 422, 'mcp_servers', {
			json: { slug: 'matrix', name: 'Matrix', mcp_servers: [999999] }
		}),
		bad('POST /api/agents/', 'mcp_servers of the wrong type', 400, 'mcp_servers', {
			json: { slug: 'matrix', name: 'Matrix', mcp_servers: 'all' }
		}),
		bad('POST /api/agents/', 'too many mcp_servers', 400, 'mcp_servers', {
			json: { slug: 'matrix', name: 'Matrix', mcp_servers: Array.from({ length: 101 }, (_, index) => index + 1) }
		}),
		bad('PATCH /api/agents/{id}', 'an MCP server named twice', 400, 'mcp_servers', {
			path: '/api/agents/spare',
			json: { mcp_servers: [1, 1] }
		})
	];
})();

const assistantCases: Case[] = (() => {
	const row = (name: string, json: unknown, status: number, field?: string, request: Partial<Case> = {}) =>
		bad('POST /assistant', name, status, field, { json, ...request });
	const toolResult = { type: 'add-tool-result', toolCallId: 'call_1', result: 1 };
	return [
		...jsonBodyCases('POST /assistant', assistantBody()),
		row('no commands', {}, 400, 'commands'),
		row('commands not a list', { commands: 'add-message' }, 400, 'commands'),
		row('an unknown command', { commands: [{ type: 'delete-everything' }] }, 400, 'commands.0.type'),
		row(
			'a message without parts',
			{ commands: [{ type: 'add-message', message: { role: 'user', parts: [] } }] },
			400,
			'commands.0.message.parts'
		),
		row('state.messages of the wrong type', assistantBody({ state: { messages: 'Hello' } }), 400, 'state.messages'),
		row('a message and tool results at once', { commands: [...assistantBody().commands, toolResult] }, 400, 'commands'),
		row('nothing to answer', { commands: [] }, 400, 'commands'),
		row('an unknown protocol', assistantBody(), 400, 'protocol', { path: '/assistant?protocol=carrier-pigeon' }),
		row('an Accept it cannot answer', assistantBody(), 406, undefined, { accept: 'application/json' }),
		row('an unknown agent in config', assistantBody({ config: { agent: 'nobody' } }), 404, 'agent'),
		row('an unknown agent in the query', assistantBody(), 404, 'agent', { path: '/assistant?agent=nobody' }),
		row('an unknown state.taskId', assistantBody({ state: { taskId: 'no-such-task' } }), 404, 'state.taskId'),
		row('an unknown threadId', assistantBody({ threadId: 'no-such-thread' }), 404, 'threadId'),
		row('someone else’s thread in state.taskId', assistantBody({ state: { taskId: '{task}' } }), 404, 'state.taskId', { as: 'bob' }),
		row('someone else’s thread in threadId', assistantBody({ threadId: '{task}' }), 404, 'threadId', { as: 'bob' }),
		row('a tool result for a call that does not wait', { commands: [toolResult], state: { taskId: '{task}' } }, 404, 'toolCallId'),
		row(
			'a tool result on a new thread whose history has no such call',
			{
				commands: [toolResult],
				state: {
					messages: [
						{ role: 'user', content: 'Hello' },
						{ role: 'assistant', content: 'Hi.' }
					]
				}
			},
			404,
			'toolCallId'
		),
		row('context against the agent’s schema', assistantBody({ context: { plan: 'gold' } }), 422, 'context.plan', {
			path: '/assistant?agent=planner'
		}),
		row('an agent whose provider is not configured', assistantBody(), 400, undefined, { path: '/assistant?agent=broken' })
	];
})();

const teamCases: Case[] = (() => {
	const message = (name: string, form: Case['form'], status: number, field?: string, request: Partial<Case> = {}) =>
		bad('POST /api/teams/messages', name, status, field, { form, ...request });
	const create = (name: string, form: Case['form'], status: number, field?: string, request: Partial<Case> = {}) =>
		bad('POST /api/teams/tasks/{id_team_agent}', name, status, field, { path: '/api/teams/tasks/assistant', form, ...request });
	const task = (method: 'GET' | 'DELETE', name: string, path: string, status: number, field?: string, as: Caller = 'admin') =>
		bad(`${method} /api/teams/tasks/{id_team_agent}/{id_task}`, name, status, field, { path, as });
	const unreadable = { body: 'garbage', type: 'multipart/form-data; boundary=matrix' };
	const newTask = (changes: Record<string, FormValue>) => ({ id_team: 'matrix-team', text: 'Hello', ...changes });
	return [
		message('no text', teamForm({ text: [] }), 400, 'text'),
		message('no id_team', teamForm({ id_team: [] }), 400, 'id_team'),
		message('no id_team_agent', teamForm({ id_team_agent: [] }), 400, 'id_team_agent'),
		message('text in a file field', teamForm({ images: 'not a file' }), 400, 'images'),
		message('context that is not JSON', teamForm({ context: '{plan: pro' }), 400, 'context'),
		message('context that is not an object', teamForm({ context: '["pro"]' }), 400, 'context'),
		message('an unknown agent', teamForm({ id_team_agent: 'nobody' }), 404, 'id_team_agent'),
		message('an unknown task', teamForm({ id_task: 'no-such-task' }), 404, 'id_task'),
		message('someone else’s task', teamForm({ id_task: '{task}' }), 404, 'id_task', { as: 'bob' }),
		message('a task of another agent', teamForm({ id_team_agent: 'tool-demo', id_task: '{task}' }), 404, 'id_task'),
		message('no Accept', teamForm(), 406, 'accept', { accept: null }),
		message('Accept: application/json', teamForm(), 406, 'accept', { accept: 'application/json' }),
		message('a JSON body', undefined, 415, 'content-type', { json: teamForm() }),
		message('a multipart body that cannot be read', undefined, 400, 'body', { raw: unreadable }),
		message('a file over FILE_SIZE_LIMIT', teamForm({ documents: bigFile }), 413, 'documents'),
		message('an empty file after a good one', teamForm({ images: smallFile, documents: emptyFile }), 400, 'documents'),
		message('context against the agent’s schema', teamForm({ id_team_agent: 'planner', context: '{"plan":"gold"}' }), 422, 'context.plan'),
		message('an agent whose provider is not configured', teamForm({ id_team_agent: 'broken' }), 400),
		bad('GET /api/teams/tasks/{id_team_agent}', 'an unknown agent', 404, 'id_team_agent', { path: '/api/teams/tasks/nobody' }),
		create('no text', { id_team: 'matrix-team' }, 400, 'text'),
		create('an empty text', newTask({ text: '   ' }), 400, 'text'),
		create('no id_team', { text: 'Hello' }, 400, 'id_team'),
		create('context that is not JSON', newTask({ context: 'plan=pro' }), 400, 'context'),
		create('an unknown agent', newTask({}), 404, 'id_team_agent', { path: '/api/teams/tasks/nobody' }),
		create('a JSON body', undefined, 415, 'content-type', { json: newTask({}) }),
		create('a multipart body that cannot be read', undefined, 400, 'body', { raw: unreadable }),
		create('a file over FILE_SIZE_LIMIT', newTask({ documents: bigFile }), 413, 'documents'),
		create('context against the agent’s schema', newTask({ context: '{"plan":"gold"}' }), 422, 'context.plan', {
			path: '/api/teams/tasks/planner'
		}),
		task('GET', 'an unknown task', '/api/teams/tasks/assistant/no-such-task', 404, 'id_task'),
		task('GET', 'someone else’s task', '/api/teams/tasks/assistant/{task}', 404, 'id_task', 'bob'),
		task('GET', 'a task of another agent', '/api/teams/tasks/tool-demo/{task}', 404, 'id_task'),
		task('GET', 'an unknown agent', '/api/teams/tasks/nobody/{task}', 404, 'id_team_agent'),
		task('DELETE', 'an unknown task', '/api/teams/tasks/assistant/no-such-task', 404, 'id_task'),
		task('DELETE', 'someone else’s task', '/api/teams/tasks/assistant/{task}', 404, 'id_task', 'bob'),
		task('DELETE', 'a task of another agent', '/api/teams/tasks/tool-demo/{task}', 404, 'id_task'),
		task('DELETE', 'an unknown agent', '/api/teams/tasks/nobody/{task}', 404, 'id_team_agent')
	];
})();

const openAICases: Case[] = (() => {
	const route = 'POST /v1/chat/completions';
	const row = (name: string, json: unknown, status: number, param?: string | null, as: Caller = 'admin') =>
		bad(route, name, status, param, { as, json });
	const toolAnswerWithoutCall = [
		{ role: 'user', content: 'Hello' },
		{ role: 'tool', tool_call_id: 'call_1', content: '1' }
	];
	return [
		// OpenAI names no parameter for a body it cannot read.
		...jsonBodyCases(route, completionBody(), { field: null }),
		row('no model', completionBody({ model: undefined }), 400, 'model'),
		row('model of the wrong type', completionBody({ model: ['assistant'] }), 400, 'model'),
		row('no messages', completionBody({ messages: undefined }), 400, 'messages'),
		row('an empty history', completionBody({ messages: [] }), 400, 'messages'),
		row('a message of an unknown role', completionBody({ messages: [{ role: 'wizard', content: 'Hello' }] }), 400, 'messages.0.role'),
		row('stream of the wrong type', completionBody({ stream: 'yes' }), 400, 'stream'),
		row('more than one choice', completionBody({ n: 2 }), 400, 'n'),
		row(
			'a tool with a bad name',
			completionBody({ tools: [{ type: 'function', function: { name: 'bad name!' } }] }),
			400,
			'tools.0.function.name'
		),
		row('a tool message answering no call', completionBody({ messages: toolAnswerWithoutCall }), 400, 'messages.1.tool_call_id'),
		row('an unknown model', completionBody({ model: 'nobody' }), 404, 'model'),
		row('an unknown metadata.task_id', completionBody({ metadata: { task_id: 'no-such-task' } }), 404, 'metadata.task_id'),
		row('someone else’s metadata.task_id', completionBody({ metadata: { task_id: '{task}' } }), 404, 'metadata.task_id', 'bob'),
		row('context against the agent’s schema', completionBody({ model: 'planner', context: { plan: 'gold' } }), 422, 'context.plan'),
		row('an agent whose provider is not configured', completionBody({ model: 'broken' }), 400)
	];
})();

const fileCases: Case[] = [
	bad('POST /api/files', 'a JSON body', 415, 'content-type', { json: { file: 'hello' } }),
	bad('POST /api/files', 'no file field', 400, 'file', { form: { name: 'hello.txt' } }),
	bad('POST /api/files', 'text instead of a file', 400, 'file', { form: { file: 'hello' } }),
	bad('POST /api/files', 'a file over FILE_SIZE_LIMIT', 413, 'file', { form: { file: bigFile } }),
	bad('POST /api/files', 'an empty file', 400, 'file', { form: { file: emptyFile } }),
	bad('POST /api/files', 'an empty file after a good one', 400, 'file', { form: { file: [smallFile, emptyFile] } }),
	bad('POST /api/files', 'a multipart body that cannot be read', 400, 'body', {
		raw: { body: 'garbage', type: 'multipart/form-data; boundary=matrix' }
	}),
	bad('GET /api/files/{id}', 'an unknown file', 404, 'id', { path: '/api/files/no-such-file' }),
	bad('GET /api/files/{id}', 'someone else’s file', 404, 'id', { as: 'bob', path: '/api/files/{file}' }),
	bad('GET /api/files/{id}/meta', 'an unknown file', 404, 'id', { path: '/api/files/no-such-file/meta' }),
	bad('GET /api/files/{id}/meta', 'someone else’s file', 404, 'id', { as: 'bob', path: '/api/files/{file}/meta' })
];

/** Puts the fixtures' ids where `{name}` stands. */
function fill(text: string): string {
	return text.replace(/\{(task|file|tool|spareTool|mcpServer)\}/g, (_, name: keyof typeof fixtures) => fixtures[name]);
}

/** The bearer token of a caller, if any. */
function tokenOf(caller: Caller): string | null {
	switch (caller) {
		case 'admin':
		case 'bob':
		case 'revoked':
			return keys[caller];
		case 'unknown-key':
			return 'pk_thisisnotakeyanyonewasevergiven0000000000';
		case 'none':
			return null;
	}
}

/** Sends the request of a case. */
function send(testCase: Case): Promise<Response> {
	const headers = new Headers();
	const token = tokenOf(testCase.as);
	if (token) headers.set('authorization', `Bearer ${token}`);
	const accept =
		testCase.accept === undefined ? (testCase.path === '/api/teams/messages' ? 'text/event-stream' : undefined) : testCase.accept;
	if (accept) headers.set('accept', accept);
	const init: RequestInit & { duplex?: 'half' } = { method: testCase.method, headers };
	if (testCase.json !== undefined) {
		headers.set('content-type', 'application/json');
		init.body = fill(JSON.stringify(testCase.json));
	} else if (testCase.chunked !== undefined) {
		headers.set('content-type', 'application/json');
		const bytes = new TextEncoder().encode(fill(JSON.stringify(testCase.chunked)));
		init.body = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let at = 0; at < bytes.length; at += 500) controller.enqueue(bytes.slice(at, at + 500));
				controller.close();
			}
		});
		init.duplex = 'half';
	} else if (testCase.raw) {
		headers.set('content-type', testCase.raw.type);
		init.body = testCase.raw.body;
	} else if (testCase.form) {
		const form = new FormData();
		for (const [name, value] of Object.entries(testCase.form)) {
			for (const item of Array.isArray(value) ? value : [value]) form.append(name, typeof item === 'string' ? fill(item) : item);
		}
		init.body = form;
	}
	return fetch(`${server.baseURL}${fill(testCase.path)}`, init);
}

/** A method an endpoint does not have: JSON like every other refusal, not SvelteKit's plain text. */
const methodCases: Case[] = [
	bad('PUT /api/chat', 'a method it does not have', 405, undefined),
	bad('DELETE /api/agent/stream/', 'a method it does not have', 405, undefined),
	bad('PATCH /assistant', 'a method it does not have', 405, undefined),
	bad('PUT /api/files', 'a method it does not have', 405, undefined),
	bad('DELETE /v1/chat/completions', 'a method it does not have', 405, undefined),
	bad('POST /health', 'a method it does not have', 405, undefined)
];

const matrix: Case[] = [
	...authCases,
	...methodCases,
	...chatCases,
	...agentRunCases('POST /api/agent/stream/'),
	// Without the trailing slash, which the agent API answers too.
	...agentRunCases('POST /api/agent/chat'),
	...toolOutputCases,
	...crudCases,
	...mcpServerCases,
	...assistantCases,
	...teamCases,
	...openAICases,
	...fileCases
];

describe('bad input on every public endpoint', () => {
	it('names each case once', () => {
		const names = matrix.map((testCase) => testCase.name);
		expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
	});

	it.for(matrix)('$name', async (testCase) => {
		const counts = await countRows();
		const response = await send(testCase);
		const text = await response.text();
		const what = `${testCase.method} ${fill(testCase.path)} → ${response.status} ${text.slice(0, 300)}`;

		expect(response.status, what).toBe(testCase.status);
		expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
		expect(text.trimStart().startsWith('<'), what).toBe(false);
		const body: unknown = JSON.parse(text);
		if (testCase.path.startsWith('/v1/')) {
			const { error } = openAIError.parse(body);
			if (testCase.field !== undefined) expect(error.param, what).toBe(testCase.field);
			if (testCase.status === 401) expect(error.code, what).toBe('invalid_api_key');
			expect(error.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
		} else {
			const { error } = parleyError.parse(body);
			expect(error.code, what).toBe(CODE_OF_STATUS[testCase.status]);
			if (testCase.field !== undefined) expect(error.field, what).toBe(testCase.field ?? undefined);
			expect(error.message).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
		}
		expect(await countRows(), `rows changed by ${what}`).toEqual(counts);
	});

	it('leaves the database as it was after the whole matrix', async () => {
		expect(await countRows()).toEqual(before);
	});
});
