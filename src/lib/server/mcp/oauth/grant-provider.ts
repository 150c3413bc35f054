import { and, eq, isNull } from 'drizzle-orm';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Config } from '../../config';
import type { Db } from '../../db';
import { mcpOauthGrants, mcpServers, type McpOauthGrant, type McpServer } from '../../db/schema';
import { openSecret, sealSecret, secretKey } from '../secrets';

/**
 * The MCP SDK's `OAuthClientProvider` for one sign-in ("grant") to one MCP server: the shared one
 * (no user) or a user's own. Everything it keeps is sealed like the server's secrets:
 * - the client: a pre-registered one (`oauth_client_id` and the secret in `secrets`), else the one
 *   registered dynamically, kept with the discovered metadata in `mcp_servers.oauth_client`;
 * - the tokens, in the grant (`tokens`, with `expires_at`).
 * The SDK's `auth()` does the protocol (discovery, registration, PKCE, resource indicators, the
 * code exchange and refreshes); this only stores what it hands over.
 *
 * Modes: `start` begins a sign-in (no tokens, so `auth()` always asks the person; the URL and the
 * PKCE verifier are kept in memory for the caller to store with the grant); `finish` exchanges a
 * code (the verifier from the sign-in under way); `use` is a run's (tokens from the grant,
 * refreshed by the SDK; when it would need the person, the grant is marked `needs_sign_in`).
 */

/** What `mcp_servers.oauth_client` holds, sealed. */
export interface StoredOauthClient {
	/** The client registered dynamically (with the `issuer` it was registered with). */
	client?: OAuthClientInformationMixed;
	/** What discovery found (authorization server, its metadata, the resource's metadata). */
	discovery?: OAuthDiscoveryState;
}

export type GrantMode = 'start' | 'finish' | 'use';

/** The grant a provider works for. */
export interface GrantKey {
	serverId: number;
	/** The user of a per-user connection; null for the shared one. */
	userId: string | null;
}

/** The path of the OAuth callback; the redirect URL is it on Parley's origin. */
export const CALLBACK_PATH = '/api/mcp-servers/oauth/callback';

/** The condition that picks a grant. */
export function grantWhere(key: GrantKey) {
	return and(
		eq(mcpOauthGrants.serverId, key.serverId),
		key.userId === null ? isNull(mcpOauthGrants.userId) : eq(mcpOauthGrants.userId, key.userId)
	);
}

/** The grant's row, or undefined. */
export async function findGrant(db: Db, key: GrantKey): Promise<McpOauthGrant | undefined> {
	const [grant] = await db.select().from(mcpOauthGrants).where(grantWhere(key));
	return grant;
}

/** When tokens issued now expire, from their `expires_in`; null when they do not say. */
export function expiryOf(tokens: Pick<OAuthTokens, 'expires_in'>, now = Date.now()): Date | null {
	return typeof tokens.expires_in === 'number' && Number.isFinite(tokens.expires_in) ? new Date(now + tokens.expires_in * 1000) : null;
}

export class GrantProvider implements OAuthClientProvider {
	/** Set by `redirectToAuthorization` (mode `start`): where to send the person. */
	authorizationUrl?: URL;
	/** Set by `saveCodeVerifier` (mode `start`). */
	savedCodeVerifier?: string;
	/** The refresh token `tokens()` last gave, to tell a refresh that failed from one another run made meanwhile. */
	private lastRefreshToken?: string;

	constructor(
		private readonly db: Db,
		private readonly config: Config,
		private readonly server: McpServer,
		readonly key: GrantKey,
		readonly mode: GrantMode,
		private readonly options: { redirectUrl: string; state?: string; codeVerifier?: string }
	) {}

	get redirectUrl(): string {
		return this.options.redirectUrl;
	}

	get clientMetadata(): OAuthClientMetadata {
		return {
			client_name: 'Parley',
			redirect_uris: [this.options.redirectUrl],
			grant_types: ['authorization_code', 'refresh_token'],
			response_types: ['code'],
			...(this.server.oauthScope ? { scope: this.server.oauthScope } : {})
		};
	}

	state(): string {
		// Only a sign-in that starts keeps its state; anywhere else the person is never sent anywhere.
		return this.options.state ?? 'unused';
	}

	private key32(): Buffer {
		return secretKey(this.config);
	}

	/** The server's stored client and discovery state. */
	private async stored(): Promise<StoredOauthClient> {
		const [row] = await this.db.select({ oauthClient: mcpServers.oauthClient }).from(mcpServers).where(eq(mcpServers.id, this.server.id));
		if (!row?.oauthClient) return {};
		try {
			return openSecret<StoredOauthClient>(row.oauthClient, this.key32());
		} catch {
			// A client sealed with another key is registered again.
			return {};
		}
	}

	private async store(change: (stored: StoredOauthClient) => StoredOauthClient): Promise<void> {
		const next = change(await this.stored());
		const empty = !next.client && !next.discovery;
		await this.db
			.update(mcpServers)
			.set({ oauthClient: empty ? null : sealSecret(next, this.key32()) })
			.where(eq(mcpServers.id, this.server.id));
	}

	async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
		if (this.server.oauthClientId) {
			const secret = this.server.secrets
				? openSecret<{ oauthClientSecret?: string }>(this.server.secrets, this.key32()).oauthClientSecret
				: undefined;
			return { client_id: this.server.oauthClientId, ...(secret ? { client_secret: secret } : {}) };
		}
		const client = (await this.stored()).client;
		// A client registered for another redirect URL (Parley's origin changed) is registered again.
		if (client && 'redirect_uris' in client && Array.isArray(client.redirect_uris) && this.mode !== 'use') {
			if (!client.redirect_uris.includes(this.options.redirectUrl)) return undefined;
		}
		return client;
	}

	async saveClientInformation(client: OAuthClientInformationMixed): Promise<void> {
		// A pre-registered client is the admin's to change; it is not kept here.
		if (this.server.oauthClientId && client.client_id === this.server.oauthClientId) return;
		await this.store((stored) => ({ ...stored, client }));
	}

	async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
		return (await this.stored()).discovery;
	}

	async saveDiscoveryState(discovery: OAuthDiscoveryState): Promise<void> {
		await this.store((stored) => ({ ...stored, discovery }));
	}

	/** The grant's stored tokens. */
	private async storedTokens(): Promise<OAuthTokens | undefined> {
		const grant = await findGrant(this.db, this.key);
		if (!grant?.tokens) return undefined;
		try {
			return openSecret<OAuthTokens>(grant.tokens, this.key32());
		} catch {
			return undefined;
		}
	}

	async tokens(): Promise<OAuthTokens | undefined> {
		// A new sign-in starts from nothing, so that the person is always asked.
		if (this.mode === 'start') return undefined;
		const tokens = await this.storedTokens();
		this.lastRefreshToken = tokens?.refresh_token;
		return tokens;
	}

	async saveTokens(tokens: OAuthTokens): Promise<void> {
		const now = new Date();
		const values = {
			tokens: sealSecret(tokens, this.key32()),
			expiresAt: expiryOf(tokens, now.getTime()),
			status: 'connected' as const,
			lastError: null,
			updatedAt: now
		};
		// A finished sign-in is no longer under way.
		const finished = this.mode === 'finish' ? { pending: null, pendingState: null, pendingAt: null } : {};
		await this.db
			.update(mcpOauthGrants)
			.set({ ...values, ...finished })
			.where(grantWhere(this.key));
	}

	async redirectToAuthorization(url: URL): Promise<void> {
		if (this.mode === 'start') {
			this.authorizationUrl = url;
			return;
		}
		// A run cannot send anyone anywhere: the grant needs the person to sign in again.
		await markGrantNeedsSignIn(
			this.db,
			this.key,
			'The sign-in expired and could not be renewed (the server refused the refresh): sign in again.'
		);
	}

	saveCodeVerifier(codeVerifier: string): void {
		this.savedCodeVerifier = codeVerifier;
	}

	codeVerifier(): string {
		if (!this.options.codeVerifier) throw new Error('No sign-in is under way.');
		return this.options.codeVerifier;
	}

	async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
		if (scope === 'all' || scope === 'client' || scope === 'discovery') {
			await this.store((stored) => ({
				...(scope === 'discovery' ? { client: stored.client } : {}),
				...(scope === 'client' ? { discovery: stored.discovery } : {})
			}));
		}
		if (scope === 'all' || scope === 'tokens') {
			if (this.mode === 'start') return;
			// Another run may have refreshed the tokens meanwhile (a refresh token is used once): keep those.
			const currentRefresh = (await this.storedTokens())?.refresh_token;
			if (currentRefresh !== undefined && currentRefresh !== this.lastRefreshToken) return;
			await this.db.update(mcpOauthGrants).set({ tokens: null, expiresAt: null, updatedAt: new Date() }).where(grantWhere(this.key));
		}
	}
}

/** Marks a grant as needing the person to sign in, with why; a shared grant's server too. */
export async function markGrantNeedsSignIn(db: Db, key: GrantKey, message: string): Promise<void> {
	await db
		.update(mcpOauthGrants)
		.set({ status: 'needs_sign_in', lastError: message.slice(0, 1000), updatedAt: new Date() })
		.where(grantWhere(key));
	if (key.userId === null) {
		await db
			.update(mcpServers)
			.set({ status: 'needs_sign_in', lastError: message.slice(0, 1000) })
			.where(eq(mcpServers.id, key.serverId));
	}
}
