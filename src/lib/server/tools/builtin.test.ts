import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { builtinTools, httpRequest } from './builtin';
import { ToolError } from './tool-error';

/** Echoes the request as JSON, except `/text`, which answers plain text with a 201. */
async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	if (request.url === '/text') {
		response.writeHead(201, { 'content-type': 'text/plain' }).end('created');
		return;
	}
	response.writeHead(200, { 'content-type': 'application/json' }).end(
		JSON.stringify({
			method: request.method,
			url: request.url,
			header: request.headers['x-test'] ?? null,
			body: Buffer.concat(chunks).toString('utf8')
		})
	);
}

let server: Server;
let base: string;

beforeAll(async () => {
	server = createServer((request, response) => void handle(request, response));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

const context = { config: parseConfig({}) };
const allowed = { config: parseConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'intranet.test,127.0.0.1' }) };

/** Asserts that `promise` rejects with a ToolError of exactly `message`. */
async function expectToolError(promise: Promise<unknown>, message: string): Promise<void> {
	const error = await promise.then(
		() => undefined,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(ToolError);
	expect((error as Error).message).toBe(message);
}

describe('builtinTools', () => {
	it('has the calculator, current_time, http_request and the two search tools', () => {
		expect(Object.keys(builtinTools)).toEqual(['calculator', 'current_time', 'http_request', 'search_products', 'search_knowledge']);
		expect(builtinTools.calculator({ expression: '6 * 7' }, context)).toEqual({ expression: '6 * 7', result: 42 });
		expect(builtinTools.current_time({ timezone: 'UTC' }, context)).toMatchObject({ timezone: 'UTC' });
		expect(builtinTools.http_request).toBe(httpRequest);
	});
});

describe('http_request', () => {
	it('refuses a loopback URL unless HTTP_TOOL_ALLOWED_HOSTS allows it', async () => {
		await expectToolError(httpRequest({ url: `${base}/x` }, context), 'Refused: 127.0.0.1 is a loopback address.');
		expect(await httpRequest({ url: `${base}/x?a=1` }, allowed)).toEqual({
			status: 200,
			contentType: 'application/json',
			body: { method: 'GET', url: '/x?a=1', header: null, body: '' }
		});
	});

	it('sends the method, headers and body', async () => {
		const output = await httpRequest({ url: `${base}/items`, method: 'put', headers: { 'X-Test': 'yes' }, body: '{"a":1}' }, allowed);
		expect(output.body).toEqual({ method: 'PUT', url: '/items', header: 'yes', body: '{"a":1}' });
	});

	it('returns a non-2xx or text answer as output', async () => {
		expect(await httpRequest({ url: `${base}/text`, method: 'POST' }, allowed)).toEqual({
			status: 201,
			contentType: 'text/plain',
			body: 'created'
		});
	});

	it.each<[Record<string, unknown>, string]>([
		[{}, 'Invalid input: url must be a URL.'],
		[{ url: '' }, 'Invalid input: url must be a URL.'],
		[{ url: 'https://example.com', method: 'TRACE' }, 'Invalid input: method must be one of GET, POST, PUT, PATCH, DELETE.'],
		[{ url: 'https://example.com', headers: { a: 1 } }, 'Invalid input: headers.a must be a string.'],
		[{ url: 'https://example.com', body: { a: 1 } }, 'Invalid input: body must be a string.'],
		[{ url: 'file:///etc/passwd' }, 'Refused: only http and https URLs are allowed, not file.']
	])('refuses %j', async (input, message) => {
		await expectToolError(httpRequest(input, allowed), message);
	});

	it('stops when the signal aborts', async () => {
		await expectToolError(httpRequest({ url: `${base}/x` }, { ...allowed, signal: AbortSignal.abort() }), 'The request was cancelled.');
	});
});
