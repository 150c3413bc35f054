import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMcpTestServer, type McpTestServer } from '../../../../tests/support/mcp-server/server';
import type { McpToolListing } from '../db/schema';
import { callMcpTool, connectMcp, isUnauthorized, listMcpTools } from './client';

let mcp: McpTestServer;

beforeAll(async () => {
	mcp = await startMcpTestServer();
});

afterAll(async () => {
	await mcp.stop();
});

const limits = { timeoutMs: 5000, maxBytes: 1024 * 1024 };

describe('connectMcp', () => {
	it('lists the tools and calls one through the SSRF-safe fetch, sending the headers', async () => {
		const connection = await connectMcp({ url: mcp.url, headers: { Authorization: 'Bearer s3cret' }, allowedHosts: ['127.0.0.1'] }, limits);
		try {
			const tools = await listMcpTools(connection.client, 5000);
			expect(tools.map((tool) => tool.name)).toEqual(['echo', 'pixel', 'explode', 'manual', 'hang']);
			expect(tools[0].inputSchema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
			const result = await callMcpTool(connection.client, 'echo', { text: 'hi' }, { timeoutMs: 5000, maxBytes: 1000 });
			expect(result).toEqual({ content: [{ type: 'text', text: 'echo: hi' }], isError: false });
			expect(mcp.requests.at(-1)?.authorization).toBe('Bearer s3cret');
		} finally {
			await connection.close();
		}
	});

	it('refuses a loopback server outside the allowed hosts', async () => {
		await expect(connectMcp({ url: mcp.url, headers: {}, allowedHosts: [] }, limits)).rejects.toThrow(/Refused: 127\.0\.0\.1 is/);
	});

	it('fails a result larger than the cap', async () => {
		const connection = await connectMcp({ url: mcp.url, headers: {}, allowedHosts: ['127.0.0.1'] }, limits);
		try {
			await expect(callMcpTool(connection.client, 'pixel', {}, { timeoutMs: 5000, maxBytes: 50 })).rejects.toThrow(/too large/);
		} finally {
			await connection.close();
		}
	});

	it('hears tool list changes', async () => {
		let changed: (tools: McpToolListing[]) => void = () => {};
		const heard = new Promise<McpToolListing[]>((resolve) => (changed = resolve));
		const connection = await connectMcp({ url: mcp.url, headers: {}, allowedHosts: ['127.0.0.1'] }, limits, {
			onToolsChanged: (tools) => changed(tools)
		});
		try {
			// The notification stream opens after initialization; a first list makes sure it is up.
			await listMcpTools(connection.client, 5000);
			mcp.setBonus(true);
			expect((await heard).map((tool) => tool.name)).toContain('bonus');
		} finally {
			mcp.setBonus(false);
			await connection.close();
		}
	});
});

describe('isUnauthorized', () => {
	it("knows the SDK's UnauthorizedError, itself or as a cause, and a 401 of the transport", async () => {
		const { UnauthorizedError } = await import('@modelcontextprotocol/sdk/client/auth.js');
		const { StreamableHTTPError } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
		expect(isUnauthorized(new UnauthorizedError())).toBe(true);
		expect(isUnauthorized(new Error('Could not connect', { cause: new UnauthorizedError('refused') }))).toBe(true);
		expect(isUnauthorized(new StreamableHTTPError(401, 'Streamable HTTP error: Error POSTing to endpoint: unauthorized'))).toBe(true);
		expect(isUnauthorized(new StreamableHTTPError(500, 'Streamable HTTP error: Error POSTing to endpoint: boom'))).toBe(false);
		expect(isUnauthorized(new Error('Unauthorized'))).toBe(false);
	});
});
