import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli';

/**
 * `npm run cli -- mcp-client --oauth`: the probe signs in to an MCP server that asks for OAuth —
 * here one small server that is both the protected MCP server (401 with the resource metadata's
 * address until a token comes) and its authorization server (metadata, dynamic registration,
 * an authorization endpoint that approves at once, a token endpoint checking PKCE).
 */

const TOKEN = 'access-token-1';

interface Seen {
	registrations: Record<string, unknown>[];
	authorizations: URLSearchParams[];
	tokenRequests: URLSearchParams[];
	/** Authorization headers of the MCP requests. */
	mcpAuthorizations: (string | undefined)[];
}

let server: Server;
let base: string;
let seen: Seen;
let challenge: string | undefined;

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	response.writeHead(status, { 'content-type': 'application/json', ...headers });
	response.end(JSON.stringify(body));
}

async function bodyOf(request: IncomingMessage): Promise<string> {
	let body = '';
	for await (const chunk of request) body += chunk;
	return body;
}

/** The MCP server behind the token: one tool, `whoami`. */
async function serveMcp(request: IncomingMessage, response: ServerResponse) {
	const mcp = new McpServer({ name: 'oauth-protected', version: '2.0.0' });
	mcp.registerTool('whoami', { description: 'Says who is signed in.' }, async () => ({
		content: [{ type: 'text', text: 'signed in as the operator' }]
	}));
	const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
	response.on('close', () => void mcp.close());
	await mcp.connect(transport);
	await transport.handleRequest(request, response);
}

async function handle(request: IncomingMessage, response: ServerResponse) {
	const url = new URL(request.url ?? '/', base);
	if (url.pathname.startsWith('/.well-known/oauth-protected-resource')) {
		return json(response, 200, { resource: `${base}/mcp`, authorization_servers: [base], scopes_supported: ['tools'] });
	}
	if (url.pathname === '/.well-known/oauth-authorization-server') {
		return json(response, 200, {
			issuer: base,
			authorization_endpoint: `${base}/authorize`,
			token_endpoint: `${base}/token`,
			registration_endpoint: `${base}/register`,
			response_types_supported: ['code'],
			grant_types_supported: ['authorization_code', 'refresh_token'],
			code_challenge_methods_supported: ['S256'],
			token_endpoint_auth_methods_supported: ['none']
		});
	}
	if (url.pathname === '/register' && request.method === 'POST') {
		const metadata = JSON.parse(await bodyOf(request)) as Record<string, unknown>;
		seen.registrations.push(metadata);
		return json(response, 201, { ...metadata, client_id: 'client-1', token_endpoint_auth_method: 'none' });
	}
	if (url.pathname === '/authorize') {
		seen.authorizations.push(url.searchParams);
		challenge = url.searchParams.get('code_challenge') ?? undefined;
		const back = new URL(url.searchParams.get('redirect_uri') ?? '');
		back.searchParams.set('code', 'code-1');
		back.searchParams.set('state', url.searchParams.get('state') ?? '');
		response.writeHead(302, { location: back.href });
		return response.end();
	}
	if (url.pathname === '/token' && request.method === 'POST') {
		const form = new URLSearchParams(await bodyOf(request));
		seen.tokenRequests.push(form);
		const verifier = form.get('code_verifier') ?? '';
		const matches = createHash('sha256').update(verifier).digest('base64url') === challenge;
		if (form.get('code') !== 'code-1' || !matches) return json(response, 400, { error: 'invalid_grant' });
		return json(response, 200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'tools' });
	}
	if (url.pathname === '/mcp') {
		seen.mcpAuthorizations.push(request.headers.authorization);
		if (request.headers.authorization !== `Bearer ${TOKEN}`) {
			return json(
				response,
				401,
				{ error: 'invalid_token' },
				{
					'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", scope="tools"`
				}
			);
		}
		return serveMcp(request, response);
	}
	json(response, 404, { error: 'not_found' });
}

beforeAll(async () => {
	server = createServer((request, response) => {
		handle(request, response).catch((error) => json(response, 500, { error: String(error) }));
	});
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((done) => server?.close(done));
});

beforeEach(() => {
	seen = { registrations: [], authorizations: [], tokenRequests: [], mcpAuthorizations: [] };
	challenge = undefined;
});

/** Starts `npm run cli -- mcp-client …` (tests/support/cli.ts); `output(pattern)` waits for a line of its output. */
function startProbe(args: string[]) {
	const child = spawnCli(['mcp-client', ...args], { HTTP_TOOL_ALLOWED_HOSTS: '127.0.0.1' });
	let stdout = '';
	let stderr = '';
	const watchers: { pattern: RegExp; found: (match: RegExpMatchArray) => void }[] = [];
	child.stdout.on('data', (chunk) => {
		stdout += chunk;
		for (const watcher of [...watchers]) {
			const match = stdout.match(watcher.pattern);
			if (match) {
				watchers.splice(watchers.indexOf(watcher), 1);
				watcher.found(match);
			}
		}
	});
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const exited = new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
		child.on('error', fail);
		child.on('close', (status) => done({ status, stdout, stderr }));
	});
	return {
		exited,
		output: (pattern: RegExp) =>
			Promise.race([
				new Promise<RegExpMatchArray>((found) => watchers.push({ pattern, found })),
				exited.then((result) => {
					throw new Error(`The probe exited (${result.status}) before printing ${pattern}:\n${result.stdout}\n${result.stderr}`);
				})
			])
	};
}

describe('npm run cli -- mcp-client --oauth', () => {
	it('signs in when the server asks (registration, PKCE, resource indicator) and calls the tool', async () => {
		const result = await startProbe([`${base}/mcp`, '--oauth', '--oauth-auto-approve', '--call', 'whoami']).exited;
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('Signed in.\nConnected to oauth-protected 2.0.0.');
		expect(result.stdout).toContain('The tool "whoami" returned:\nsigned in as the operator');

		expect(seen.registrations).toHaveLength(1);
		const redirectUri = (seen.registrations[0].redirect_uris as string[])[0];
		expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
		expect(seen.registrations[0].client_name).toBe('Parley CLI');
		const [authorization] = seen.authorizations;
		expect(authorization.get('client_id')).toBe('client-1');
		expect(authorization.get('code_challenge_method')).toBe('S256');
		expect(authorization.get('resource')).toBe(`${base}/mcp`);
		expect(authorization.get('scope')).toBe('tools');
		expect(authorization.get('state')).toBeTruthy();
		expect(seen.tokenRequests).toHaveLength(1);
		expect(seen.tokenRequests[0].get('grant_type')).toBe('authorization_code');
		expect(seen.tokenRequests[0].get('resource')).toBe(`${base}/mcp`);
		expect(seen.mcpAuthorizations[0]).toBeUndefined();
		expect(seen.mcpAuthorizations.at(-1)).toBe(`Bearer ${TOKEN}`);
	});

	it('prints the sign-in address and waits for the browser to come back to the loopback listener', async () => {
		const probe = startProbe([`${base}/mcp`, '--oauth', '--oauth-timeout', '60']);
		const [, address] = await probe.output(/Open this address in a browser[^\n]*\n(\S+)\n/);
		expect(address.startsWith(`${base}/authorize?`)).toBe(true);
		// The operator's browser: the authorization server sends it back to the CLI.
		const approval = await fetch(address, { redirect: 'manual' });
		const callback = approval.headers.get('location') ?? '';
		expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=code-1&state=/);
		const page = await fetch(callback);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('You can close this tab');
		const result = await probe.exited;
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('Signed in.');
		expect(result.stdout).toContain('1 tool:\n\nwhoami — Says who is signed in.');
	});

	it('exits 1 naming the problem when the sign-in is refused', async () => {
		const probe = startProbe([`${base}/mcp`, '--oauth']);
		const [, address] = await probe.output(/Open this address in a browser[^\n]*\n(\S+)\n/);
		const state = new URL(address).searchParams.get('state');
		const redirect = new URL(new URL(address).searchParams.get('redirect_uri') ?? '');
		await fetch(`${redirect.href}?error=access_denied&error_description=Denied+by+the+operator&state=${state}`);
		const result = await probe.exited;
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			'Signing in failed: The authorization server refused the sign-in: access_denied (Denied by the operator).'
		);
		expect(seen.tokenRequests).toHaveLength(0);
	});
});
