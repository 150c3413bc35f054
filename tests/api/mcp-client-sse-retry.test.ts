import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callMcpTool, connectMcp } from '../../src/lib/server/mcp/client';

/**
 * The MCP client (runs and the CLI probe) resumes a stream the server closes before answering:
 * it waits the `retry` the server gave, then reconnects with `Last-Event-ID` (SEP-1699), like the
 * conformance suite's `sse-retry` scenario. The server here answers a tool call with a priming
 * event (an id and `retry`) and closes the stream; the answer comes on the resumed stream.
 */

/** Longer than the client's own first reconnection delay (1 s), so waiting it shows it was honoured. */
const RETRY_MS = 1500;
const SESSION = 'session-1';

let server: Server;
let url: string;
/** When the server closed the tool call's stream. */
let closedAt: number | undefined;
const resumptions: { lastEventId: string; at: number }[] = [];
let pendingCallId: string | number | undefined;

function sseHead(response: ServerResponse) {
	response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'mcp-session-id': SESSION });
}

async function handlePost(request: IncomingMessage, response: ServerResponse) {
	let body = '';
	for await (const chunk of request) body += chunk;
	const message = JSON.parse(body) as { id?: string | number; method: string };
	if (message.id === undefined) {
		response.writeHead(202).end();
		return;
	}
	if (message.method === 'initialize') {
		response.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': SESSION });
		response.end(
			JSON.stringify({
				jsonrpc: '2.0',
				id: message.id,
				result: { protocolVersion: '2025-11-25', serverInfo: { name: 'sse-retry', version: '1.0.0' }, capabilities: { tools: {} } }
			})
		);
		return;
	}
	if (message.method === 'tools/call') {
		pendingCallId = message.id;
		sseHead(response);
		// A priming event (an id, the retry, no data), then the stream ends without an answer.
		response.end(`id: call-1\nretry: ${RETRY_MS}\ndata: \n\n`, () => (closedAt = performance.now()));
		return;
	}
	response.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': SESSION });
	response.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: {} }));
}

function handleGet(request: IncomingMessage, response: ServerResponse) {
	const lastEventId = request.headers['last-event-id'];
	if (typeof lastEventId !== 'string') {
		// No stream of its own for the client: only resumptions.
		response.writeHead(405).end();
		return;
	}
	resumptions.push({ lastEventId, at: performance.now() });
	sseHead(response);
	const answer = { jsonrpc: '2.0', id: pendingCallId, result: { content: [{ type: 'text', text: 'answered after resuming' }] } };
	response.end(`id: call-2\ndata: ${JSON.stringify(answer)}\n\n`);
}

beforeAll(async () => {
	server = createServer((request, response) => {
		if (request.method === 'POST') handlePost(request, response).catch(() => response.destroy());
		else if (request.method === 'GET') handleGet(request, response);
		else response.writeHead(405).end();
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((done) => server.close(done));
});

describe('the MCP client after a stream closes', () => {
	it("waits the server's retry, then resumes with Last-Event-ID and gets the answer", async () => {
		const connection = await connectMcp({ url, headers: {}, allowedHosts: ['127.0.0.1'] }, { timeoutMs: 10_000, maxBytes: 100_000 });
		try {
			const result = await callMcpTool(connection.client, 'slow', {}, { timeoutMs: 10_000, maxBytes: 100_000 });
			expect(result).toEqual({ content: [{ type: 'text', text: 'answered after resuming' }], isError: false });
		} finally {
			await connection.close();
		}
		expect(resumptions).toHaveLength(1);
		expect(resumptions[0].lastEventId).toBe('call-1');
		expect(closedAt).toBeDefined();
		expect(resumptions[0].at - closedAt!).toBeGreaterThanOrEqual(RETRY_MS);
	});
});
