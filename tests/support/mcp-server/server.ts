import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { newMcpServer, PIXEL_PNG_BASE64 } from './tools.mjs';

/**
 * A local MCP server for tests, built with the official SDK: Streamable HTTP at `/mcp` on a free
 * loopback port, with sessions (so tool list changes reach clients). Its tools (tools.mjs, shared
 * with the stdio entry point stdio.mjs):
 * - `echo` `{ text }`: the text back, as `echo: <text>`;
 * - `pixel`: a 1×1 PNG image and a line of text;
 * - `explode`: an `isError` result, `The explode tool blew up.`;
 * - `manual`: an embedded text resource;
 * - `hang`: never answers (for time limits);
 * - `bonus` (only while {@link McpTestServer.setBonus} is on): `bonus!`. Turning it on or off
 *   sends `notifications/tools/list_changed` to every open session.
 * It can be stopped (connections cut) and started again on the same port. With `token`, requests
 * without `Authorization: Bearer <token>` get 401.
 */

export { PIXEL_PNG_BASE64 };

export interface McpTestServer {
	/** The endpoint, `http://127.0.0.1:<port>/mcp`. */
	url: string;
	port: number;
	/** The headers of every request received, in order. */
	requests: IncomingHttpHeaders[];
	/** Offers the `bonus` tool or not; open sessions are told the list changed. */
	setBonus(on: boolean): void;
	/** Stops listening and cuts every connection (sessions are forgotten). */
	stop(): Promise<void>;
	/** Listens again on the same port. */
	restart(): Promise<void>;
}

interface Session {
	transport: StreamableHTTPServerTransport;
	bonus: RegisteredTool;
}

/** Starts the test MCP server on a free port (or `port`), asking for `token` when given. */
export async function startMcpTestServer(options: { port?: number; token?: string } = {}): Promise<McpTestServer> {
	const sessions = new Map<string, Session>();
	const requests: IncomingHttpHeaders[] = [];
	let bonusOn = false;
	let http: Server | undefined;

	const listen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			const server = createServer(async (req, res) => {
				requests.push(req.headers);
				if (!req.url?.startsWith('/mcp')) {
					res.writeHead(404).end();
					return;
				}
				if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
					res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
					res.end(JSON.stringify({ error: 'invalid_token' }));
					return;
				}
				try {
					const sessionId = req.headers['mcp-session-id'];
					const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
					if (existing) {
						await existing.transport.handleRequest(req, res);
						return;
					}
					if (typeof sessionId === 'string') {
						res.writeHead(404, { 'content-type': 'application/json' });
						res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
						return;
					}
					const { server: mcp, bonus } = newMcpServer(bonusOn);
					const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
						sessionIdGenerator: () => randomUUID(),
						onsessioninitialized: (id) => {
							sessions.set(id, { transport, bonus });
						}
					});
					transport.onclose = () => {
						if (transport.sessionId) sessions.delete(transport.sessionId);
					};
					await mcp.connect(transport);
					await transport.handleRequest(req, res);
				} catch (error) {
					if (!res.headersSent) res.writeHead(500).end(String(error));
				}
			});
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				http = server;
				resolve((server.address() as AddressInfo).port);
			});
		});

	const port = await listen(options.port ?? 0);
	return {
		url: `http://127.0.0.1:${port}/mcp`,
		port,
		requests,
		setBonus(on) {
			bonusOn = on;
			for (const session of sessions.values()) {
				if (on) session.bonus.enable();
				else session.bonus.disable();
			}
		},
		async stop() {
			const server = http;
			http = undefined;
			if (!server) return;
			for (const session of sessions.values()) await session.transport.close().catch(() => {});
			sessions.clear();
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
		async restart() {
			await listen(port);
		}
	};
}
