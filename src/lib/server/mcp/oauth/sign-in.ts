import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Db } from '../../db';
import { mcpOauthGrants, type McpServer } from '../../db/schema';
import { AppError } from '../../errors';
import { lazyModule } from '../../modules/lazy-module';
import { parseAllowedHosts } from '../../net/allowed-hosts';
import { ToolError } from '../../tools/tool-error';
import { signInMark } from '../../../mcp-sign-in';
import { errorMessage, isUnauthorized } from '../client';
import { connectionKey, type McpTarget } from '../connections';
import { mcpFetch, type FetchLike } from '../mcp-fetch';
import { openSecret, sealSecret, secretKey } from '../secrets';
import { CALLBACK_PATH, findGrant, GrantProvider, grantWhere, markGrantNeedsSignIn, type GrantKey } from './grant-provider';

/**
 * OAuth sign-ins to MCP servers, on top of the SDK's `auth()`: starting one (the URL to send the
 * person to), finishing one on the callback (the code exchanged for tokens), and the grant a run
 * uses (tokens refreshed shortly before they expire; the SDK's transport refreshes them on a 401
 * too). A grant that cannot be renewed is marked `needs_sign_in`, and its calls fail with a
 * {@link McpSignInError} whose message carries the mark the chat turns into "Connect".
 */

const loadAuth = lazyModule('MCP OAuth sign-in', () => import('@modelcontextprotocol/sdk/client/auth.js'));

/** Tokens are renewed when they expire within this time (1 minute). */
export const REFRESH_MARGIN_MS = 60_000;

/** A call that needs someone to sign in to the MCP server first (the server itself is not at fault). */
export class McpSignInError extends ToolError {
	override name = 'McpSignInError';
	/** Why the sign-in is needed, when more is known than that nobody signed in (a renewal was refused). */
	reason?: string;
}

/** The error of a call to a server whose grant needs signing in, with why when known. */
export function signInError(server: Pick<McpServer, 'id' | 'name' | 'oauthConnection'>, reason?: string | null): McpSignInError {
	const why = reason?.replace(/\s*\[mcp-sign-in [^\]]*\]\s*$/, '').trim();
	const ask =
		server.oauthConnection === 'per_user'
			? `The MCP server "${server.name}" needs you to connect your account before its tools can be used: choose "Connect" to sign in, then ask again.`
			: `The MCP server "${server.name}" needs an admin to sign in (Admin → MCP servers) before its tools can be used.`;
	const error = new McpSignInError(`${ask}${why ? ` ${why}` : ''} ${signInMark(server.id, server.oauthConnection)}`);
	if (why) error.reason = why;
	return error;
}

/** Parley's OAuth redirect URL: the callback on `ORIGIN`, else on the origin the request came to. */
export function redirectUrlOf(config: Pick<Config, 'ORIGIN'>, requestOrigin?: string): string {
	const origin = (config.ORIGIN ?? requestOrigin ?? 'http://localhost').replace(/\/+$/, '');
	return `${origin}${CALLBACK_PATH}`;
}

/** The grant a server's calls use for `userId`: the shared one, or the user's own (none for an anonymous caller). */
export function grantKeyOf(server: Pick<McpServer, 'id' | 'oauthConnection'>, userId: string | null | undefined): GrantKey | null {
	if (server.oauthConnection === 'shared') return { serverId: server.id, userId: null };
	return userId ? { serverId: server.id, userId } : null;
}

/** The SSRF-safe fetch of a server's sign-in requests (the same rules as its MCP requests). */
function fetchOf(server: McpServer, config: Config): FetchLike {
	const allowedHosts = [...server.allowedHosts, ...parseAllowedHosts(config.HTTP_TOOL_ALLOWED_HOSTS)];
	return mcpFetch({ allowedHosts, maxBytes: config.MCP_RESULT_LIMIT });
}

function serverUrlOf(server: McpServer): string {
	if (server.auth !== 'oauth' || server.transport !== 'http' || !server.url) {
		throw new AppError('invalid_input', `The MCP server "${server.name}" does not sign in with OAuth.`, { field: 'id' });
	}
	return server.url;
}

/** A sign-in under way, sealed in the grant's `pending`. */
interface PendingSignIn {
	codeVerifier: string;
	/** Where to send the person back to (a path on this site). */
	returnTo: string;
	/** The user who started it: only they may finish it. */
	startedBy: string;
	redirectUrl: string;
}

/**
 * Starts a sign-in: discovers the server's authorization server, registers Parley with it when
 * there is no client yet, and returns the URL to send the person to; the PKCE verifier and the
 * state are kept with the grant until the callback.
 */
export async function startSignIn(
	db: Db,
	config: Config,
	server: McpServer,
	key: GrantKey,
	options: { returnTo: string; startedBy: string; requestOrigin?: string }
): Promise<URL> {
	const serverUrl = serverUrlOf(server);
	const { auth } = await loadAuth();
	const state = randomBytes(32).toString('base64url');
	const redirectUrl = redirectUrlOf(config, options.requestOrigin);
	const provider = new GrantProvider(db, config, server, key, 'start', { redirectUrl, state });
	let result: string;
	try {
		result = await auth(provider, { serverUrl, scope: server.oauthScope ?? undefined, fetchFn: fetchOf(server, config) });
	} catch (error) {
		throw new AppError('upstream', `Could not start the sign-in to the MCP server "${server.name}": ${errorMessage(error)}`, {
			field: 'id',
			cause: error
		});
	}
	if (result !== 'REDIRECT' || !provider.authorizationUrl || !provider.savedCodeVerifier) {
		throw new AppError('upstream', `The MCP server "${server.name}" gave no sign-in page to go to.`, { field: 'id' });
	}
	const pending: PendingSignIn = {
		codeVerifier: provider.savedCodeVerifier,
		returnTo: options.returnTo,
		startedBy: options.startedBy,
		redirectUrl
	};
	const now = new Date();
	const values = { pending: sealSecret(pending, secretKey(config)), pendingState: state, pendingAt: now, updatedAt: now };
	await db
		.insert(mcpOauthGrants)
		.values({ serverId: key.serverId, userId: key.userId, ...values })
		.onConflictDoNothing();
	await db.update(mcpOauthGrants).set(values).where(grantWhere(key));
	return provider.authorizationUrl;
}

/** A callback that cannot finish a sign-in: why, and where the person came from when known. */
export class SignInFailure extends Error {
	override name = 'SignInFailure';
	constructor(
		message: string,
		readonly returnTo?: string
	) {
		super(message);
	}
}

/** What the authorization server sent back to the callback. */
export interface CallbackParams {
	state: string | null;
	code: string | null;
	error: string | null;
	errorDescription: string | null;
}

/**
 * Finishes a sign-in on the callback: finds it by its state, checks that the signed-in `viewerId`
 * started it and that it is recent, exchanges the code for tokens (the SDK), and marks the grant
 * connected. Returns the server, the grant and where to send the person back to.
 * @throws {SignInFailure} when the state is unknown or stale, the sign-in was refused, or the exchange failed.
 */
export async function finishSignIn(
	db: Db,
	config: Config,
	viewerId: string,
	params: CallbackParams,
	loadServer: (id: number) => Promise<McpServer | undefined>
): Promise<{ server: McpServer; key: GrantKey; returnTo: string }> {
	const state = params.state?.trim();
	if (!state || state.length > 200) throw new SignInFailure('The sign-in answer has no valid state: start the sign-in again.');
	const [grant] = await db.select().from(mcpOauthGrants).where(eq(mcpOauthGrants.pendingState, state));
	if (!grant?.pending) throw new SignInFailure('This sign-in is unknown or was already used: start it again.');
	let pending: PendingSignIn;
	try {
		pending = openSecret<PendingSignIn>(grant.pending, secretKey(config));
	} catch {
		throw new SignInFailure('This sign-in cannot be read any more: start it again.');
	}
	// Someone else's sign-in stays as it is for them; this person learns nothing about it.
	if (pending.startedBy !== viewerId) throw new SignInFailure('This sign-in was started by someone else: start your own.');
	const key: GrantKey = { serverId: grant.serverId, userId: grant.userId };
	const clearPending = () =>
		db.update(mcpOauthGrants).set({ pending: null, pendingState: null, pendingAt: null, updatedAt: new Date() }).where(grantWhere(key));
	const startedAt = grant.pendingAt?.getTime() ?? 0;
	if (Date.now() - startedAt > config.MCP_OAUTH_SIGN_IN_TIMEOUT_MS) {
		await clearPending();
		throw new SignInFailure(
			`This sign-in took longer than ${Math.round(config.MCP_OAUTH_SIGN_IN_TIMEOUT_MS / 60_000)} minutes and expired: start it again.`,
			pending.returnTo
		);
	}
	const server = await loadServer(grant.serverId);
	if (!server) {
		await clearPending();
		throw new SignInFailure('The MCP server of this sign-in no longer exists.', pending.returnTo);
	}
	if (params.error) {
		await clearPending();
		const detail = params.errorDescription ? `: ${params.errorDescription.slice(0, 300)}` : '';
		const what = params.error === 'access_denied' ? 'The sign-in was denied' : `The sign-in failed (${params.error.slice(0, 100)})`;
		throw new SignInFailure(`${what} at the MCP server "${server.name}"${detail}.`, pending.returnTo);
	}
	const code = params.code?.trim();
	if (!code || code.length > 2000) {
		await clearPending();
		throw new SignInFailure(`The MCP server "${server.name}" sent no authorization code back: start the sign-in again.`, pending.returnTo);
	}
	const { auth } = await loadAuth();
	const provider = new GrantProvider(db, config, server, key, 'finish', {
		redirectUrl: pending.redirectUrl,
		codeVerifier: pending.codeVerifier
	});
	try {
		const result = await auth(provider, { serverUrl: serverUrlOf(server), authorizationCode: code, fetchFn: fetchOf(server, config) });
		if (result !== 'AUTHORIZED') throw new Error('the server did not issue tokens');
	} catch (error) {
		await clearPending();
		throw new SignInFailure(`Signing in to the MCP server "${server.name}" failed: ${errorMessage(error)}`, pending.returnTo);
	}
	return { server, key, returnTo: pending.returnTo };
}

/** Renewals under way, one per grant, so that two calls do not spend one refresh token twice. */
const renewals = new Map<string, Promise<void>>();

/**
 * Renews a grant's tokens when they expire within {@link REFRESH_MARGIN_MS}. A renewal the
 * authorization server refuses marks the grant `needs_sign_in` and throws a {@link McpSignInError};
 * one that fails otherwise (the server is down) throws only when the tokens have already expired.
 */
export async function renewIfExpiring(db: Db, config: Config, server: McpServer, key: GrantKey, expiresAt: Date | null): Promise<void> {
	if (!expiresAt || expiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS) return;
	const id = connectionKey(key.serverId, key.userId);
	let renewal = renewals.get(id);
	if (!renewal) {
		renewal = renew(db, config, server, key).finally(() => renewals.delete(id));
		renewals.set(id, renewal);
	}
	try {
		await renewal;
	} catch (error) {
		if (error instanceof McpSignInError || expiresAt.getTime() <= Date.now()) throw error;
	}
}

async function renew(db: Db, config: Config, server: McpServer, key: GrantKey): Promise<void> {
	const { auth } = await loadAuth();
	const provider = new GrantProvider(db, config, server, key, 'use', { redirectUrl: redirectUrlOf(config) });
	let result: string;
	try {
		result = await auth(provider, { serverUrl: serverUrlOf(server), fetchFn: fetchOf(server, config) });
	} catch (error) {
		throw new ToolError(`Could not renew the sign-in to the MCP server "${server.name}": ${errorMessage(error)}`, { cause: error });
	}
	if (result !== 'AUTHORIZED') {
		const grant = await findGrant(db, key);
		throw signInError(server, grant?.lastError);
	}
}

/**
 * How a run reaches an OAuth server for `userId`: the server's own target (`baseTarget`) with its
 * grant's tokens (renewed first when they are about to expire) through the SDK's transport, on a
 * connection of that grant's own.
 * @throws {McpSignInError} when nobody (or not this user) is signed in, or the sign-in cannot be renewed.
 */
export async function oauthTarget(
	db: Db,
	config: Config,
	server: McpServer,
	userId: string | null | undefined,
	baseTarget: () => McpTarget
): Promise<McpTarget> {
	const key = grantKeyOf(server, userId);
	if (!key) {
		// Anonymous callers have no account to connect: no mark, so no "Connect".
		throw new McpSignInError(`The MCP server "${server.name}" needs each person to sign in with their own account: log in to use it.`);
	}
	const grant = await findGrant(db, key);
	if (!grant?.tokens || grant.status === 'needs_sign_in') throw signInError(server, grant?.lastError);
	await renewIfExpiring(db, config, server, key, grant.expiresAt);
	const provider = new GrantProvider(db, config, server, key, 'use', { redirectUrl: redirectUrlOf(config) });
	const base = baseTarget();
	return { ...base, key: connectionKey(server.id, key.userId), endpoint: { ...base.endpoint, authProvider: provider } };
}

/**
 * Whether a failed call to an OAuth server failed for its sign-in: the SDK could not renew the
 * tokens (it marked the grant `needs_sign_in` on the way), or the server refused them (HTTP 401),
 * which marks the grant now. Returns the error for the call, or null for any other failure.
 */
export async function signInFailureOf(
	db: Db,
	server: McpServer,
	userId: string | null | undefined,
	error: unknown
): Promise<McpSignInError | null> {
	if (error instanceof McpSignInError) return error;
	const key = grantKeyOf(server, userId);
	if (!key) return null;
	const grant = await findGrant(db, key);
	if (grant?.status === 'needs_sign_in') return signInError(server, grant.lastError);
	if (!isUnauthorized(error)) return null;
	await markGrantNeedsSignIn(db, key, `The server refused the sign-in (${errorMessage(error)}): sign in again.`);
	return signInError(server, (await findGrant(db, key))?.lastError);
}
