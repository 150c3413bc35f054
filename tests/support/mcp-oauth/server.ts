import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { OAuthClientInformationFull, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';

/**
 * A local OAuth-protected MCP server for tests, built with the official SDK on one loopback port:
 * - the authorization server (`mcpAuthRouter`): metadata, dynamic client registration, `/authorize`
 *   (approves at once, redirecting back with a code — or with `error=access_denied` while
 *   {@link McpOauthTestServer.setDeny} is on), `/token` (PKCE checked by the SDK; refresh tokens);
 * - the protected resource's metadata (`/.well-known/oauth-protected-resource/mcp`);
 * - the MCP endpoint `/mcp` behind `requireBearerAuth`, with the tool `echo` `{ text }` → `echo: <text>`.
 * Access tokens live {@link McpOauthTestServer.setAccessTokenLifetime} seconds (1 hour by default)
 * and can all be made invalid at once; refresh tokens can be revoked. It counts what it is asked.
 */

export interface McpOauthTestServer {
	/** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
	url: string;
	/** The authorization server, `http://127.0.0.1:<port>/`. */
	issuer: string;
	/** How many requests of each kind it answered. */
	counts: { registrations: number; authorizations: number; codeExchanges: number; refreshes: number; mcpRequests: number };
	/** The `resource` indicators of the authorization requests, in order. */
	resources: string[];
	/** The `scope` of the authorization requests, in order. */
	scopes: string[];
	/** Registers a client ahead of time (for a pre-registered client id and secret). */
	preRegister(redirectUri: string): { clientId: string; clientSecret: string };
	/** Lifetime of the access tokens issued from now on, in seconds. */
	setAccessTokenLifetime(seconds: number): void;
	/** Refuses the authorization requests (redirecting with `error=access_denied`) or approves them. */
	setDeny(on: boolean): void;
	/** Makes every access token issued so far invalid (the MCP endpoint answers 401). */
	expireAccessTokens(): void;
	/** Makes every refresh token issued so far invalid (refreshing fails with `invalid_grant`). */
	revokeRefreshTokens(): void;
	stop(): Promise<void>;
}

interface CodeData {
	client: OAuthClientInformationFull;
	params: AuthorizationParams;
}

interface TokenData {
	clientId: string;
	scopes: string[];
	expiresAt: number;
	resource?: URL;
}

class ClientsStore implements OAuthRegisteredClientsStore {
	readonly clients = new Map<string, OAuthClientInformationFull>();
	constructor(private readonly onRegister: () => void) {}
	async getClient(clientId: string) {
		return this.clients.get(clientId);
	}
	async registerClient(client: OAuthClientInformationFull) {
		this.onRegister();
		this.clients.set(client.client_id, client);
		return client;
	}
}

export async function startMcpOauthTestServer(): Promise<McpOauthTestServer> {
	const counts = { registrations: 0, authorizations: 0, codeExchanges: 0, refreshes: 0, mcpRequests: 0 };
	const resources: string[] = [];
	const scopes: string[] = [];
	const codes = new Map<string, CodeData>();
	const accessTokens = new Map<string, TokenData>();
	const refreshTokens = new Map<string, TokenData>();
	let lifetimeSeconds = 3600;
	let deny = false;
	const clientsStore = new ClientsStore(() => counts.registrations++);

	const issue = (data: Omit<TokenData, 'expiresAt'>): OAuthTokens => {
		const access = `at_${randomUUID()}`;
		const refresh = `rt_${randomUUID()}`;
		accessTokens.set(access, { ...data, expiresAt: Date.now() + lifetimeSeconds * 1000 });
		refreshTokens.set(refresh, { ...data, expiresAt: Number.MAX_SAFE_INTEGER });
		return {
			access_token: access,
			token_type: 'bearer',
			expires_in: lifetimeSeconds,
			refresh_token: refresh,
			...(data.scopes.length > 0 ? { scope: data.scopes.join(' ') } : {})
		};
	};

	const provider: OAuthServerProvider = {
		clientsStore,
		async authorize(client, params, res) {
			counts.authorizations++;
			resources.push(params.resource?.href ?? '');
			scopes.push((params.scopes ?? []).join(' '));
			const target = new URL(params.redirectUri);
			if (deny) {
				target.searchParams.set('error', 'access_denied');
				target.searchParams.set('error_description', 'The user said no.');
			} else {
				const code = randomUUID();
				codes.set(code, { client, params });
				target.searchParams.set('code', code);
			}
			if (params.state !== undefined) target.searchParams.set('state', params.state);
			res.redirect(target.href);
		},
		async challengeForAuthorizationCode(_client, code) {
			const data = codes.get(code);
			if (!data) throw new InvalidGrantError('Unknown authorization code');
			return data.params.codeChallenge;
		},
		async exchangeAuthorizationCode(client, code) {
			const data = codes.get(code);
			if (!data || data.client.client_id !== client.client_id) throw new InvalidGrantError('Unknown authorization code');
			codes.delete(code);
			counts.codeExchanges++;
			return issue({ clientId: client.client_id, scopes: data.params.scopes ?? [], resource: data.params.resource });
		},
		async exchangeRefreshToken(client, refreshToken) {
			counts.refreshes++;
			const data = refreshTokens.get(refreshToken);
			if (!data || data.clientId !== client.client_id) throw new InvalidGrantError('The refresh token was revoked');
			refreshTokens.delete(refreshToken);
			return issue(data);
		},
		async verifyAccessToken(token): Promise<AuthInfo> {
			const data = accessTokens.get(token);
			if (!data || data.expiresAt < Date.now()) throw new InvalidTokenError('The access token expired');
			return {
				token,
				clientId: data.clientId,
				scopes: data.scopes,
				expiresAt: Math.floor(data.expiresAt / 1000),
				...(data.resource ? { resource: data.resource } : {})
			};
		}
	};

	const http: Server = createServer();
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const port = (http.address() as AddressInfo).port;
	const issuer = `http://127.0.0.1:${port}/`;
	const mcpUrl = `http://127.0.0.1:${port}/mcp`;

	const app = createMcpExpressApp({ host: '127.0.0.1' });
	const noLimit = { rateLimit: false } as const;
	app.use(
		mcpAuthRouter({
			provider,
			issuerUrl: new URL(issuer),
			resourceServerUrl: new URL(mcpUrl),
			scopesSupported: ['tools:read', 'tools:call'],
			authorizationOptions: noLimit,
			clientRegistrationOptions: noLimit,
			tokenOptions: noLimit,
			revocationOptions: noLimit
		})
	);
	const bearer = requireBearerAuth({ verifier: provider, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(new URL(mcpUrl)) });
	app.all('/mcp', bearer, async (req: { body?: unknown }, res: { headersSent: boolean; status(code: number): { end(): void } }) => {
		counts.mcpRequests++;
		try {
			const server = new McpServer({ name: 'test-mcp-oauth', version: '1.0.0' });
			server.registerTool(
				'echo',
				{ description: 'Echoes the text back.', inputSchema: { text: z.string().describe('What to echo') } },
				async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] })
			);
			const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
			await server.connect(transport);
			await transport.handleRequest(req as never, res as never, req.body);
		} catch {
			if (!res.headersSent) res.status(500).end();
		}
	});
	http.on('request', app);

	return {
		url: mcpUrl,
		issuer,
		counts,
		resources,
		scopes,
		preRegister(redirectUri) {
			const clientId = `pre_${randomUUID()}`;
			const clientSecret = `secret_${randomUUID()}`;
			clientsStore.clients.set(clientId, {
				client_id: clientId,
				client_secret: clientSecret,
				client_id_issued_at: Math.floor(Date.now() / 1000),
				redirect_uris: [redirectUri],
				token_endpoint_auth_method: 'client_secret_post',
				grant_types: ['authorization_code', 'refresh_token'],
				response_types: ['code']
			});
			return { clientId, clientSecret };
		},
		setAccessTokenLifetime(seconds) {
			lifetimeSeconds = seconds;
		},
		setDeny(on) {
			deny = on;
		},
		expireAccessTokens() {
			accessTokens.clear();
		},
		revokeRefreshTokens() {
			refreshTokens.clear();
		},
		async stop() {
			http.closeAllConnections();
			await new Promise((resolve) => http.close(resolve));
		}
	};
}
