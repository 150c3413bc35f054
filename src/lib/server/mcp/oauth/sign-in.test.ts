import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMcpOauthTestServer, type McpOauthTestServer } from '../../../../../tests/support/mcp-oauth/server';
import { createTempDb, type TempDb } from '../../../../../tests/support/temp-db';
import { parseConfig } from '../../config';
import { mcpOauthGrants, mcpServers, users, type McpServer } from '../../db/schema';
import { readSignInMark } from '../../../mcp-sign-in';
import { targetOf } from '../servers';
import { expiryOf, findGrant, GrantProvider, type GrantKey } from './grant-provider';
import {
	finishSignIn,
	grantKeyOf,
	McpSignInError,
	oauthTarget,
	redirectUrlOf,
	REFRESH_MARGIN_MS,
	renewIfExpiring,
	SignInFailure,
	signInError,
	startSignIn
} from './sign-in';

/** The OAuth client provider and the sign-in, renewal and refusal logic, against a local authorization server. */

let temp: TempDb;
let oauth: McpOauthTestServer;
const config = parseConfig({ SECRET_KEY: 'k'.repeat(40), ORIGIN: 'http://parley.test', MOCK_TOKEN_DELAY_MS: '0' });
let server: McpServer;
const shared: GrantKey = { serverId: 0, userId: null };

beforeAll(async () => {
	temp = await createTempDb();
	oauth = await startMcpOauthTestServer();
	await temp.db.insert(users).values([
		{ id: 'u-ann', email: 'ann@example.com', passwordHash: 'x', role: 'admin' },
		{ id: 'u-ben', email: 'ben@example.com', passwordHash: 'x', role: 'user' }
	]);
	[server] = await temp.db
		.insert(mcpServers)
		.values({ name: 'guarded', url: oauth.url, allowedHosts: ['127.0.0.1'], auth: 'oauth' })
		.returning();
	shared.serverId = server.id;
});

afterAll(async () => {
	temp?.cleanup();
	await oauth?.stop();
});

const loadServer = async (id: number) => (await temp.db.select().from(mcpServers).where(eq(mcpServers.id, id)))[0];

/** Starts a sign-in as `userId` and follows the authorization server's answer: the callback's parameters. */
async function authorize(key: GrantKey, startedBy: string) {
	const url = await startSignIn(temp.db, config, server, key, { returnTo: '/back', startedBy });
	const answer = await fetch(url, { redirect: 'manual' });
	const callback = new URL(answer.headers.get('location') ?? '');
	expect(`${callback.origin}${callback.pathname}`).toBe('http://parley.test/api/mcp-servers/oauth/callback');
	const param = (name: string) => callback.searchParams.get(name);
	return { state: param('state'), code: param('code'), error: param('error'), errorDescription: param('error_description') };
}

async function signIn(key: GrantKey, startedBy: string) {
	return finishSignIn(temp.db, config, startedBy, await authorize(key, startedBy), loadServer);
}

describe('helpers', () => {
	it('the redirect URL is the callback on ORIGIN, else on the request origin', () => {
		expect(redirectUrlOf({ ORIGIN: 'https://chat.example.com/' })).toBe('https://chat.example.com/api/mcp-servers/oauth/callback');
		expect(redirectUrlOf({ ORIGIN: undefined }, 'http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173/api/mcp-servers/oauth/callback');
	});

	it('a shared server uses the shared grant; a per-user one the user’s, none for anonymous callers', () => {
		expect(grantKeyOf({ id: 3, oauthConnection: 'shared' }, 'u1')).toEqual({ serverId: 3, userId: null });
		expect(grantKeyOf({ id: 3, oauthConnection: 'per_user' }, 'u1')).toEqual({ serverId: 3, userId: 'u1' });
		expect(grantKeyOf({ id: 3, oauthConnection: 'per_user' }, null)).toBeNull();
	});

	it('tokens expire after their expires_in, or never said', () => {
		expect(expiryOf({ expires_in: 30 }, 1000)?.getTime()).toBe(31_000);
		expect(expiryOf({})).toBeNull();
	});

	it('a sign-in error carries the mark the chat reads, once', () => {
		const error = signInError({ id: 7, name: 'docs', oauthConnection: 'per_user' }, 'Expired. [mcp-sign-in server=7 connection=per_user]');
		expect(error).toBeInstanceOf(McpSignInError);
		const mark = readSignInMark(error.message);
		expect(mark).toMatchObject({ serverId: 7, connection: 'per_user' });
		expect(mark?.message).toContain('needs you to connect your account');
		expect(mark?.message).toContain('Expired.');
		expect(mark?.message).not.toContain('[mcp-sign-in');
	});
});

describe('signing in', () => {
	beforeEach(() => {
		oauth.setAccessTokenLifetime(3600);
	});

	it('stores the tokens sealed with their expiry, and the registered client', async () => {
		await expect(oauthTarget(temp.db, config, server, null, () => targetOf(server, config))).rejects.toBeInstanceOf(McpSignInError);
		const done = await signIn(shared, 'u-ann');
		expect(done.returnTo).toBe('/back');
		const grant = await findGrant(temp.db, shared);
		expect(grant).toMatchObject({ status: 'connected', pending: null, pendingState: null });
		expect(grant?.tokens).toMatch(/^v1\./);
		expect(grant?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
		const provider = new GrantProvider(temp.db, config, server, shared, 'use', { redirectUrl: redirectUrlOf(config) });
		expect((await provider.tokens())?.access_token).toMatch(/^at_/);
		expect((await provider.clientInformation())?.client_id).toBeTruthy();
		// A new sign-in starts from no tokens, so that the person is always asked.
		const starting = new GrantProvider(temp.db, config, server, shared, 'start', { redirectUrl: redirectUrlOf(config) });
		expect(await starting.tokens()).toBeUndefined();
	});

	it('refuses a callback by someone else, an unknown state, and a repeated one', async () => {
		const params = await authorize(shared, 'u-ann');
		await expect(finishSignIn(temp.db, config, 'u-ben', params, loadServer)).rejects.toThrow(/started by someone else/);
		await expect(finishSignIn(temp.db, config, 'u-ann', { ...params, state: 'other' }, loadServer)).rejects.toThrow(/unknown/);
		await finishSignIn(temp.db, config, 'u-ann', params, loadServer);
		await expect(finishSignIn(temp.db, config, 'u-ann', params, loadServer)).rejects.toBeInstanceOf(SignInFailure);
	});

	it('a denied sign-in says so and returns where it started', async () => {
		oauth.setDeny(true);
		try {
			const params = await authorize(shared, 'u-ann');
			const failure = await finishSignIn(temp.db, config, 'u-ann', params, loadServer).catch((error: unknown) => error);
			expect(failure).toBeInstanceOf(SignInFailure);
			expect((failure as SignInFailure).message).toMatch(/denied/);
			expect((failure as SignInFailure).returnTo).toBe('/back');
		} finally {
			oauth.setDeny(false);
		}
	});
});

describe('renewing', () => {
	it('leaves tokens far from expiry alone, and renews expiring ones once for concurrent calls', async () => {
		await signIn(shared, 'u-ann');
		const before = oauth.counts.refreshes;
		const far = new Date(Date.now() + REFRESH_MARGIN_MS * 10);
		await renewIfExpiring(temp.db, config, server, shared, far);
		expect(oauth.counts.refreshes).toBe(before);
		const soon = new Date(Date.now() + 5_000);
		await Promise.all([1, 2, 3].map(() => renewIfExpiring(temp.db, config, server, shared, soon)));
		expect(oauth.counts.refreshes).toBe(before + 1);
		expect(await findGrant(temp.db, shared)).toMatchObject({ status: 'connected' });
	});

	it('keeps tokens another run renewed meanwhile when told to forget the old ones', async () => {
		const provider = new GrantProvider(temp.db, config, server, shared, 'use', { redirectUrl: redirectUrlOf(config) });
		await provider.tokens();
		// Another run renews: the stored refresh token is no longer the one this provider read.
		await renewIfExpiring(temp.db, config, server, shared, new Date());
		await provider.invalidateCredentials('tokens');
		expect((await findGrant(temp.db, shared))?.tokens).not.toBeNull();
		// With the current ones read, forgetting them does forget them.
		await provider.tokens();
		await provider.invalidateCredentials('tokens');
		expect((await findGrant(temp.db, shared))?.tokens).toBeNull();
		await signIn(shared, 'u-ann');
	});

	it('a refused renewal marks the grant and the shared server needs_sign_in, with a clear error', async () => {
		oauth.revokeRefreshTokens();
		const error = await renewIfExpiring(temp.db, config, server, shared, new Date()).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(McpSignInError);
		expect((error as Error).message).toContain('needs an admin to sign in');
		expect(readSignInMark((error as Error).message)).toMatchObject({ serverId: server.id, connection: 'shared' });
		expect(await findGrant(temp.db, shared)).toMatchObject({ status: 'needs_sign_in' });
		expect((await findGrant(temp.db, shared))?.lastError).toMatch(/could not be renewed/);
		expect((await loadServer(server.id)).status).toBe('needs_sign_in');
		await expect(oauthTarget(temp.db, config, server, null, () => targetOf(server, config))).rejects.toBeInstanceOf(McpSignInError);
	});

	it('a per-user grant is the user’s own: another user’s calls need their own sign-in', async () => {
		await temp.db.update(mcpServers).set({ oauthConnection: 'per_user' }).where(eq(mcpServers.id, server.id));
		const perUser = await loadServer(server.id);
		server = perUser;
		await signIn({ serverId: server.id, userId: 'u-ben' }, 'u-ben');
		const target = await oauthTarget(temp.db, config, perUser, 'u-ben', () => targetOf(perUser, config));
		expect(target.key).toBe(`${server.id}:u-ben`);
		expect(target.endpoint).toMatchObject({ authProvider: expect.any(GrantProvider) });
		const refused = await oauthTarget(temp.db, config, perUser, 'u-ann', () => targetOf(perUser, config)).catch((error: unknown) => error);
		expect(readSignInMark((refused as Error).message)).toMatchObject({ connection: 'per_user' });
		await expect(oauthTarget(temp.db, config, perUser, null, () => targetOf(perUser, config))).rejects.toThrow(/log in/);
		const grants = await temp.db.select().from(mcpOauthGrants).where(eq(mcpOauthGrants.serverId, server.id));
		expect(grants.map((grant) => grant.userId).sort()).toEqual([null, 'u-ben']);
	});
});
