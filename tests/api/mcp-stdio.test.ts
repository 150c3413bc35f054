import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { logIn, signUp, type SessionClient } from '../support/session';

/** MCP servers started as programs over stdio (`MCP_STDIO=on`): the test MCP server's stdio entry point. */

const ENTRY = resolve(import.meta.dirname, '../support/mcp-server/stdio.mjs');

let server: TestServer;
let admin: SessionClient;
let adminKey: string;
let folder: string;

beforeAll(async () => {
	folder = mkdtempSync(join(tmpdir(), 'parley-stdio-'));
	server = await startServer({ MCP_STDIO: 'on', MOCK_TOKEN_DELAY_MS: '0', MCP_TOOL_TIMEOUT_MS: '5000' });
	admin = await signUp(server.baseURL, 'admin@example.com');
	const db: Db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'admin@example.com'));
	adminKey = (await createApiKey(db, user.id, 'stdio tests')).key;
	db.$client.close();
});

afterAll(async () => {
	await server?.stop();
	rmSync(folder, { recursive: true, force: true });
});

/** A JSON call by the admin's session. */
async function call(method: string, path: string, body?: unknown, client = admin) {
	const response = await client.fetch(path, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

/** Runs the agent on a message and returns the JSON answer. */
async function chat(agent: string, message: string) {
	const response = await fetch(`${server.baseURL}/api/agent/chat/`, {
		method: 'POST',
		headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ message, agent_id: agent })
	});
	expect(response.status).toBe(200);
	return response.json();
}

/** Whether a process runs. */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
		throw error;
	}
}

/** The pid the stdio server wrote last. */
function pidIn(file: string): number {
	return Number(readFileSync(file, 'utf8'));
}

interface ServerResource {
	id: number;
	transport: string;
	command: string | null;
	args: string[];
	status: string;
	last_error: string | null;
	tools: { name: string; tool_id: number | null }[];
}

describe('stdio MCP servers', () => {
	const pidFile = () => join(folder, 'local.pid');
	let local: ServerResource;

	it('are started with their command and args, without a shell, and their tools listed', async () => {
		const created = await call('POST', '/api/mcp-servers/', {
			name: 'local-stdio',
			transport: 'stdio',
			command: process.execPath,
			args: [ENTRY, '--pid-file', pidFile()]
		});
		expect(created.status, created.text).toBe(201);
		local = created.body;
		expect(local).toMatchObject({ transport: 'stdio', command: process.execPath, status: 'connected', last_error: null });
		expect(local.args).toEqual([ENTRY, '--pid-file', pidFile()]);
		expect(local.tools.map((tool) => tool.name)).toEqual(['echo', 'pixel', 'explode', 'manual', 'hang']);
		expect(alive(pidIn(pidFile()))).toBe(true);
		// An argument with shell syntax is one argument, never run by a shell.
		const marker = join(folder, 'shell-ran');
		const literal = await call('POST', '/api/mcp-servers/', {
			name: 'literal',
			transport: 'stdio',
			command: process.execPath,
			args: [ENTRY, `--fail=$(touch ${marker})`]
		});
		expect(literal.body.status).toBe('failing');
		expect(literal.body.last_error).toContain(`$(touch ${marker})`);
		expect(existsSync(marker)).toBe(false);
		expect((await call('DELETE', `/api/mcp-servers/${literal.body.id}`)).status).toBe(204);
	});

	it('an agent calls one of its tools', async () => {
		const toolId = local.tools.find((tool) => tool.name === 'echo')?.tool_id;
		const agent = await call('POST', '/api/agents/', { slug: 'stdio-agent', name: 'stdio agent', model: 'mock:offline', tools: [toolId] });
		expect(agent.status, agent.text).toBe(201);
		const answer = await chat('stdio-agent', 'echo text="over stdio"');
		expect(answer.status).toBe('completed');
		expect(answer.text).toContain('The echo tool returned: echo: over stdio');
	});

	it('a program killed mid-life marks the server failing, with its last output; the next call starts it again', async () => {
		const first = pidIn(pidFile());
		process.kill(first, 'SIGKILL');
		await expect.poll(async () => (await call('GET', `/api/mcp-servers/${local.id}`)).body.status).toBe('failing');
		const failing = (await call('GET', `/api/mcp-servers/${local.id}`)).body as ServerResource;
		expect(failing.last_error).toContain('exited');
		expect(failing.last_error).toContain('test-mcp (stdio) started');

		const answer = await chat('stdio-agent', 'echo text="back again"');
		expect(answer.text).toContain('The echo tool returned: echo: back again');
		const second = pidIn(pidFile());
		expect(second).not.toBe(first);
		expect(alive(second)).toBe(true);
		expect((await call('GET', `/api/mcp-servers/${local.id}`)).body).toMatchObject({ status: 'connected', last_error: null });
	});

	it('changing the server stops its program and starts the new one', async () => {
		const before = pidIn(pidFile());
		const patched = await call('PATCH', `/api/mcp-servers/${local.id}`, { args: [ENTRY, '--pid-file', pidFile(), '--bonus'] });
		expect(patched.status, patched.text).toBe(200);
		expect((patched.body as ServerResource).tools.map((tool) => tool.name)).toContain('bonus');
		expect(alive(before)).toBe(false);
		expect(alive(pidIn(pidFile()))).toBe(true);
	});

	it('a program that fails to start, or does not exist, leaves the server failing with why', async () => {
		const failing = await call('POST', '/api/mcp-servers/', {
			name: 'broken',
			transport: 'stdio',
			command: process.execPath,
			args: [ENTRY, '--fail', 'no database here']
		});
		expect(failing.status).toBe(201);
		expect(failing.body).toMatchObject({ status: 'failing', tools: [] });
		expect(failing.body.last_error).toContain('no database here');
		const missing = await call('POST', '/api/mcp-servers/', {
			name: 'missing',
			transport: 'stdio',
			command: join(folder, 'no-such-program')
		});
		expect(missing.status).toBe(201);
		expect(missing.body.status).toBe('failing');
		expect(missing.body.last_error).toMatch(/ENOENT/);
		for (const id of [failing.body.id, missing.body.id]) expect((await call('DELETE', `/api/mcp-servers/${id}`)).status).toBe(204);
	});

	it('deleting the server stops its program', async () => {
		const pid = pidIn(pidFile());
		expect(alive(pid)).toBe(true);
		expect((await call('DELETE', `/api/mcp-servers/${local.id}`)).status).toBe(204);
		expect(alive(pid)).toBe(false);
	});

	it('stopping Parley stops the programs, and with MCP_STDIO off stdio servers are refused and shown as off', async () => {
		const created = await call('POST', '/api/mcp-servers/', {
			name: 'kept',
			transport: 'stdio',
			command: process.execPath,
			// It does not stop when its stdin ends: Parley must stop it.
			args: [ENTRY, '--pid-file', pidFile(), '--stubborn']
		});
		expect(created.body.status).toBe('connected');
		const pid = pidIn(pidFile());
		await server.stop({ keepData: true });
		expect(alive(pid)).toBe(false);

		const databaseUrl = server.databaseUrl;
		server = await startServer({ DATABASE_URL: databaseUrl, MOCK_TOKEN_DELAY_MS: '0' });
		admin = await logIn(server.baseURL, 'admin@example.com', 'correct horse battery');
		const refused = await call('POST', '/api/mcp-servers/', {
			name: 'another',
			transport: 'stdio',
			command: process.execPath,
			args: [ENTRY]
		});
		expect(refused.status).toBe(403);
		expect(refused.body.error).toMatchObject({ code: 'forbidden', field: 'transport' });
		expect(refused.body.error.message).toContain('MCP_STDIO');
		const refreshed = await call('POST', `/api/mcp-servers/${created.body.id}/refresh`);
		expect(refreshed.status).toBe(200);
		expect(refreshed.body).toMatchObject({ status: 'failing' });
		expect(refreshed.body.last_error).toContain('stdio is off (MCP_STDIO)');
		// Nothing was started.
		expect(pidIn(pidFile())).toBe(pid);
		expect(alive(pid)).toBe(false);
	});
});
