import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { httpToolTimeoutMs, parseHttpToolConfig, runHttpTool, type HttpToolConfig } from './http-tool';
import { ToolError } from './tool-error';

/** What the echo route saw. */
interface Echo {
	method: string;
	path: string;
	query: [string, string][];
	headers: Record<string, string>;
	body: string;
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
	const url = new URL(request.url ?? '/', 'http://test');
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const status = /^\/status\/(\d{3})$/.exec(url.pathname);
	if (status) {
		response.writeHead(Number(status[1]), { 'content-type': 'application/json' }).end('{"error":"nope"}');
	} else if (url.pathname === '/text') {
		response.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
	} else {
		const echo: Echo = {
			method: request.method ?? '',
			path: url.pathname,
			query: [...url.searchParams],
			headers: request.headers as Record<string, string>,
			body: Buffer.concat(chunks).toString('utf8')
		};
		response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
	}
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

/** A config allowed to reach the local test server. */
function localTool(config: Record<string, unknown>): HttpToolConfig {
	return parseHttpToolConfig({ allowed_hosts: ['127.0.0.1'], ...config }, 'test_tool');
}

async function echoOf(config: HttpToolConfig, input: Record<string, unknown>): Promise<Echo> {
	const output = await runHttpTool(config, input, context);
	expect(output.status).toBe(200);
	return output.body as Echo;
}

/** Asserts that `run` throws (or rejects with) a ToolError of exactly `message`. */
async function expectToolError(run: () => unknown, message: string): Promise<void> {
	let caught: unknown;
	try {
		await run();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(ToolError);
	expect((caught as Error).message).toBe(message);
}

describe('parseHttpToolConfig', () => {
	it('fills in the defaults', () => {
		expect(parseHttpToolConfig({ url: 'https://api.example.com/items/{{id}}' }, 'items')).toEqual({
			url: 'https://api.example.com/items/{{id}}',
			method: 'GET',
			headers: {},
			allowed_hosts: []
		});
	});

	it('accepts a lower-case method, headers, a timeout and allowed hosts', () => {
		const config = parseHttpToolConfig(
			{
				url: 'https://{{region}}.example.com/v1',
				method: 'post',
				headers: { 'x-key': '{{key}}' },
				timeout_ms: 2500,
				allowed_hosts: ['intranet']
			},
			'items'
		);
		expect(config).toMatchObject({ method: 'POST', headers: { 'x-key': '{{key}}' }, timeout_ms: 2500, allowed_hosts: ['intranet'] });
		expect(httpToolTimeoutMs(config)).toBe(2500);
		expect(httpToolTimeoutMs(parseHttpToolConfig({ url: 'https://example.com' }, 'items'))).toBe(10_000);
	});

	it.each<[unknown, string]>([
		[{}, 'url: is required'],
		[{ url: 'not a url' }, 'url: must be an http(s) URL, optionally with {{name}} placeholders'],
		[{ url: 'ftp://example.com/{{file}}' }, 'url: must be an http(s) URL, optionally with {{name}} placeholders'],
		[{ url: 'https://example.com', method: 'TRACE' }, 'method: must be one of GET, POST, PUT, PATCH, DELETE'],
		[{ url: 'https://example.com', headers: { 'x-n': 5 } }, 'headers.x-n: must be a string'],
		[{ url: 'https://example.com', timeout_ms: '100' }, 'timeout_ms: must be a number of milliseconds'],
		[{ url: 'https://example.com', timeout_ms: 0 }, 'timeout_ms: must be at least 1'],
		[{ url: 'https://example.com', timeout_ms: 1.5 }, 'timeout_ms: must be a whole number of milliseconds'],
		[{ url: 'https://example.com', timeout_ms: 600_000 }, 'timeout_ms: must be at most 300000'],
		[{ url: 'https://example.com', allowed_hosts: 'localhost' }, 'allowed_hosts: must be a list of host names'],
		[{ url: 'https://example.com', allowed_hosts: [' '] }, 'allowed_hosts.0: must be a host name'],
		[{ url: 42, method: 'NOPE' }, 'url: is required; method: must be one of GET, POST, PUT, PATCH, DELETE']
	])('refuses %j', (config, problems) => {
		expect(() => parseHttpToolConfig(config, 'weather')).toThrow(
			new ToolError(`The HTTP tool "weather" has a broken config: ${problems}.`)
		);
	});

	it('refuses a config that is not an object', () => {
		expect(() => parseHttpToolConfig(null, 'weather')).toThrow(ToolError);
		expect(() => parseHttpToolConfig(null, 'weather')).toThrow(/^The HTTP tool "weather" has a broken config: /);
	});
});

describe('runHttpTool: GET and DELETE', () => {
	it('fills URL placeholders (URL-encoded) and sends the rest of the input as query parameters', async () => {
		const config = localTool({ url: `${base}/users/{{ user }}/posts?sort=new` });
		const echo = await echoOf(config, { user: 'a b/c?d', limit: 5, draft: false, tags: ['x', 'y'], filter: { a: 1 }, none: null });
		expect(echo.method).toBe('GET');
		expect(echo.path).toBe('/users/a%20b%2Fc%3Fd/posts');
		expect(echo.query).toEqual([
			['sort', 'new'],
			['limit', '5'],
			['draft', 'false'],
			['tags', 'x'],
			['tags', 'y'],
			['filter', '{"a":1}']
		]);
		expect(echo.body).toBe('');
	});

	it('sends DELETE input as query parameters too', async () => {
		const echo = await echoOf(localTool({ url: `${base}/items/{{id}}`, method: 'DELETE' }), { id: 7, reason: 'old' });
		expect(echo).toMatchObject({ method: 'DELETE', path: '/items/7', query: [['reason', 'old']], body: '' });
	});

	it('keeps a placeholder value from climbing the path', async () => {
		const config = localTool({ url: `${base}/items/{{id}}` });
		await expectToolError(() => runHttpTool(config, { id: '..' }, context), '"id" cannot be "..".');
		await expectToolError(() => runHttpTool(config, { id: '.' }, context), '"id" cannot be ".".');
	});

	it('needs every placeholder in the input', async () => {
		const config = localTool({ url: `${base}/items/{{id}}` });
		await expectToolError(() => runHttpTool(config, {}, context), 'The input has no "id", which the URL needs.');
		await expectToolError(() => runHttpTool(config, { id: null }, context), 'The input has no "id", which the URL needs.');
	});
});

describe('runHttpTool: POST, PUT and PATCH', () => {
	it('sends the rest of the input as a JSON body', async () => {
		const config = localTool({ url: `${base}/projects/{{project}}/issues`, method: 'POST' });
		const echo = await echoOf(config, { project: 'parley', title: 'Bug', labels: ['a'], meta: { n: 1 } });
		expect(echo).toMatchObject({ method: 'POST', path: '/projects/parley/issues', query: [] });
		expect(echo.headers['content-type']).toBe('application/json');
		expect(JSON.parse(echo.body)).toEqual({ title: 'Bug', labels: ['a'], meta: { n: 1 } });
	});

	it('sends an empty object when nothing is left, and keeps a configured content type', async () => {
		const put = await echoOf(localTool({ url: `${base}/flags/{{flag}}`, method: 'PUT' }), { flag: 'on' });
		expect(put).toMatchObject({ method: 'PUT', body: '{}' });
		const config = localTool({ url: `${base}/x`, method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' } });
		const patch = await echoOf(config, { a: 1 });
		expect(patch.headers['content-type']).toBe('application/merge-patch+json');
		expect(patch.body).toBe('{"a":1}');
	});
});

describe('runHttpTool: headers', () => {
	it('fills header placeholders and keeps those fields out of the query and body', async () => {
		const config = localTool({
			url: `${base}/search`,
			headers: { Authorization: 'Bearer {{token}}', 'X-Static': 'fixed', 'X-Tenant': '{{tenant}}' }
		});
		const echo = await echoOf(config, { token: 'abc def', tenant: 42, q: 'shoes' });
		expect(echo.headers.authorization).toBe('Bearer abc def');
		expect(echo.headers['x-static']).toBe('fixed');
		expect(echo.headers['x-tenant']).toBe('42');
		expect(echo.query).toEqual([['q', 'shoes']]);

		const post = await echoOf(localTool({ url: `${base}/x`, method: 'POST', headers: { 'x-key': '{{key}}' } }), { key: 'k', a: 1 });
		expect(JSON.parse(post.body)).toEqual({ a: 1 });
	});

	it('refuses a header value with a line break', async () => {
		const config = localTool({ url: `${base}/search`, headers: { 'X-User': '{{user}}' } });
		await expectToolError(
			() => runHttpTool(config, { user: 'me\r\nX-Admin: yes' }, context),
			'"user" cannot contain line breaks, since it goes in a header.'
		);
		await expectToolError(() => runHttpTool(config, {}, context), 'The input has no "user", which the "X-User" header needs.');
	});
});

describe('runHttpTool: output and policy', () => {
	it('returns a non-2xx status as output', async () => {
		const output = await runHttpTool(localTool({ url: `${base}/status/404` }), {}, context);
		expect(output).toEqual({ status: 404, body: { error: 'nope' } });
		const failed = await runHttpTool(localTool({ url: `${base}/status/500`, method: 'POST' }), {}, context);
		expect(failed).toEqual({ status: 500, body: { error: 'nope' } });
	});

	it('returns a text body as a string', async () => {
		expect(await runHttpTool(localTool({ url: `${base}/text` }), {}, context)).toEqual({ status: 200, body: 'plain words' });
	});

	it('refuses the local server unless the tool or the configuration allows it', async () => {
		const config = parseHttpToolConfig({ url: `${base}/text` }, 'local');
		await expectToolError(() => runHttpTool(config, {}, context), 'Refused: 127.0.0.1 is a loopback address.');
		const allowedByEnv = { config: parseConfig({ HTTP_TOOL_ALLOWED_HOSTS: 'intranet.test, 127.0.0.1' }) };
		expect(await runHttpTool(config, {}, allowedByEnv)).toEqual({ status: 200, body: 'plain words' });
	});

	it('honours the caller signal', async () => {
		const config = localTool({ url: `${base}/text` });
		await expectToolError(() => runHttpTool(config, {}, { ...context, signal: AbortSignal.abort() }), 'The request was cancelled.');
	});
});
