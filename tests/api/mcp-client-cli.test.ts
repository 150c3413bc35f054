import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server/server';

/** `npm run cli -- mcp-client`: the operator's probe of an MCP server. */

let mcp: McpTestServer;

beforeAll(async () => {
	mcp = await startMcpTestServer();
});

afterAll(async () => {
	await mcp?.stop();
});

/** Runs `npm run cli -- mcp-client …` (tests/support/cli.ts), asynchronously, since the MCP server runs in this process. */
const probe = (args: string[], env: Record<string, string> = {}) => runCli(['mcp-client', ...args], env);

const allowLoopback = { HTTP_TOOL_ALLOWED_HOSTS: '127.0.0.1' };

describe('npm run cli -- mcp-client', () => {
	it('prints the tools with their input schemas, sending the headers', async () => {
		const result = await probe([mcp.url, '--header', 'Authorization: Bearer probe-token'], allowLoopback);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('Connected to test-mcp 1.0.0.');
		expect(result.stdout).toContain('5 tools:');
		expect(result.stdout).toContain('echo — Echoes the text back.');
		expect(result.stdout).toMatch(/input schema: \{.*"text":\{.*"type":"string"/);
		expect(mcp.requests.some((headers) => headers.authorization === 'Bearer probe-token')).toBe(true);
	});

	it('calls a tool with JSON arguments and prints the result', async () => {
		const echo = await probe([mcp.url, '--call', 'echo', '--args', '{"text":"hi"}'], allowLoopback);
		expect(echo.status).toBe(0);
		expect(echo.stdout).toContain('The tool "echo" returned:\necho: hi');
		const pixel = await probe([mcp.url, '--call', 'pixel', '--allow-host', '127.0.0.1']);
		expect(pixel.status).toBe(0);
		expect(pixel.stdout).toMatch(/\[image image\/png, \d+ bytes\]/);
	});

	it('exits 1 with a clear message on an error result, a refused address and a server that is down', async () => {
		const error = await probe([mcp.url, '--call', 'explode'], allowLoopback);
		expect(error.status).toBe(1);
		expect(error.stderr).toContain('The tool "explode" reported an error:\nThe explode tool blew up.');

		const refused = await probe([mcp.url]);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toMatch(/Could not connect to .*: Refused: 127\.0\.0\.1 is/);

		const down = await probe(['http://127.0.0.1:9/mcp'], allowLoopback);
		expect(down.status).toBe(1);
		expect(down.stderr).toContain('Could not connect to http://127.0.0.1:9/mcp');
	});

	it('exits 2 naming the problem with bad options', async () => {
		const noUrl = await probe([]);
		expect(noUrl.status).toBe(2);
		expect(noUrl.stderr).toContain('mcp-client needs one URL');
		const unknown = await probe([mcp.url, '--ouath']);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toContain("Unknown option '--ouath'");
		expect(unknown.stderr).toContain('See `npm run cli -- help` for the options.');
	});
});
