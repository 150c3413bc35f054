import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mcpFetch } from './mcp-fetch';

let server: Server | undefined;

afterEach(async () => {
	await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
	server = undefined;
});

/** A loopback server; resolves with its base URL. */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
	server = createServer(handler);
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fetch = mcpFetch({ allowedHosts: ['127.0.0.1'], maxBytes: 1_000_000 });

describe('mcpFetch', () => {
	it('drops what still arrives after the body is cancelled, instead of throwing outside any caller', async () => {
		const uncaught: unknown[] = [];
		const record = (error: unknown) => uncaught.push(error);
		process.on('uncaughtException', record);
		let closed!: () => void;
		const responseClosed = new Promise<void>((resolve) => (closed = resolve));
		try {
			const base = await listen((_request, response) => {
				response.on('close', closed);
				response.writeHead(400, { 'content-type': 'text/plain' });
				response.write('a'.repeat(1000));
				setImmediate(() => response.end('b'.repeat(1000)));
			});
			const response = await fetch(`${base}/mcp`);
			await response.body?.cancel();
			await responseClosed;
			// The chunks in flight when the body was cancelled are delivered on the next turns.
			await new Promise((resolve) => setImmediate(resolve));
			expect(uncaught).toEqual([]);
		} finally {
			process.off('uncaughtException', record);
		}
	});

	it('sends the form bodies of OAuth token requests', async () => {
		let received: { type?: string; body: string } | undefined;
		const base = await listen((request: IncomingMessage, response) => {
			let body = '';
			request.on('data', (chunk) => (body += chunk));
			request.on('end', () => {
				received = { type: request.headers['content-type'], body };
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end('{"access_token":"t","token_type":"Bearer"}');
			});
		});
		const form = new URLSearchParams({ grant_type: 'authorization_code', code: 'abc' });
		const response = await fetch(`${base}/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form
		});
		expect(await response.json()).toEqual({ access_token: 't', token_type: 'Bearer' });
		expect(received).toEqual({ type: 'application/x-www-form-urlencoded', body: 'grant_type=authorization_code&code=abc' });
	});
});
