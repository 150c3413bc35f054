import { describe, expect, it } from 'vitest';
import { autoApprove, CliOAuthProvider, codeOfRedirect, MAX_AUTHORIZATIONS, startLoopbackReceiver } from './mcp-oauth-provider';

const REDIRECT = 'http://127.0.0.1:8765/callback';

function provider(options: Partial<ConstructorParameters<typeof CliOAuthProvider>[0]> = {}) {
	const started: URL[] = [];
	const made = new CliOAuthProvider({
		redirectUrl: REDIRECT,
		authorize: async (url) => {
			started.push(url);
			return `code-${started.length}`;
		},
		...options
	});
	return { provider: made, started };
}

describe('CliOAuthProvider', () => {
	it('registers itself with the loopback redirect, or uses the pre-registered client', () => {
		const dynamic = provider({ scope: 'read' }).provider;
		expect(dynamic.clientInformation()).toBeUndefined();
		expect(dynamic.clientMetadata).toEqual({
			client_name: 'Parley CLI',
			redirect_uris: [REDIRECT],
			grant_types: ['authorization_code', 'refresh_token'],
			response_types: ['code'],
			scope: 'read'
		});
		dynamic.saveClientInformation({ client_id: 'registered' });
		expect(dynamic.clientInformation()).toEqual({ client_id: 'registered' });

		const preRegistered = provider({ clientId: 'cli', clientSecret: 's3cret' }).provider;
		expect(preRegistered.clientInformation()).toEqual({ client_id: 'cli', client_secret: 's3cret' });
		// Credentials the server rejected are dropped, except the client the operator gave.
		preRegistered.saveTokens({ access_token: 'a', token_type: 'Bearer' });
		preRegistered.invalidateCredentials('all');
		expect(preRegistered.tokens()).toBeUndefined();
		expect(preRegistered.clientInformation()).toEqual({ client_id: 'cli', client_secret: 's3cret' });
		dynamic.invalidateCredentials('client');
		expect(dynamic.clientInformation()).toBeUndefined();
	});

	it('keeps tokens, the PKCE verifier and the discovery for the run, with a new state each time', () => {
		const { provider: made } = provider();
		expect(() => made.codeVerifier()).toThrow('No sign-in was started.');
		made.saveCodeVerifier('verifier');
		made.saveTokens({ access_token: 'a', token_type: 'Bearer', refresh_token: 'r' });
		made.saveDiscoveryState({
			authorizationServerUrl: 'https://auth.example.com',
			resourceMetadataUrl: 'https://mcp.example.com/.well-known/x'
		});
		expect(made.codeVerifier()).toBe('verifier');
		expect(made.tokens()?.refresh_token).toBe('r');
		expect(made.discoveryState()?.authorizationServerUrl).toBe('https://auth.example.com');
		const states = new Set([made.state(), made.state(), made.state()]);
		expect(states.size).toBe(3);
		for (const state of states) expect(state).toMatch(/^[\w-]{32}$/);
	});

	it('hands the code of a started authorization over once, and gives up after the most authorizations', async () => {
		const { provider: made, started } = provider();
		expect(made.takePendingAuthorization()).toBeUndefined();
		for (let round = 1; round <= MAX_AUTHORIZATIONS; round++) {
			made.redirectToAuthorization(new URL(`https://auth.example.com/authorize?round=${round}`));
			await expect(made.takePendingAuthorization()).resolves.toBe(`code-${round}`);
			expect(made.takePendingAuthorization()).toBeUndefined();
		}
		expect(() => made.redirectToAuthorization(new URL('https://auth.example.com/authorize'))).toThrow(
			`The server still refuses after ${MAX_AUTHORIZATIONS} sign-ins`
		);
		expect(started).toHaveLength(MAX_AUTHORIZATIONS);
		expect(made.authorizations).toBe(MAX_AUTHORIZATIONS);
	});
});

describe('codeOfRedirect', () => {
	it('takes the code of a redirect back with the expected state', () => {
		expect(codeOfRedirect(new URL(`${REDIRECT}?code=abc&state=s1`), REDIRECT, 's1')).toBe('abc');
	});

	it('refuses a redirect elsewhere, an error, another state or no code', () => {
		expect(() => codeOfRedirect(new URL('https://auth.example.com/login?code=abc&state=s1'), REDIRECT, 's1')).toThrow(
			'sent the browser to https://auth.example.com/login, not back to'
		);
		expect(() => codeOfRedirect(new URL(`${REDIRECT}?error=access_denied&error_description=No`), REDIRECT, 's1')).toThrow(
			'The authorization server refused the sign-in: access_denied (No).'
		);
		expect(() => codeOfRedirect(new URL(`${REDIRECT}?code=abc&state=other`), REDIRECT, 's1')).toThrow('different state');
		expect(() => codeOfRedirect(new URL(`${REDIRECT}?state=s1`), REDIRECT, 's1')).toThrow('without an authorization code');
	});
});

describe('autoApprove', () => {
	const authorizationUrl = new URL('https://auth.example.com/authorize?state=s1');

	it('takes the code from the redirect the authorization endpoint answers with', async () => {
		const requested: string[] = [];
		const approve = autoApprove(async (url) => {
			requested.push(String(url));
			return new Response(null, { status: 302, headers: { location: `${REDIRECT}?code=abc&state=s1` } });
		}, REDIRECT);
		await expect(approve(authorizationUrl)).resolves.toBe('abc');
		expect(requested).toEqual([authorizationUrl.href]);
	});

	it('stops at a sign-in page: it never fills one in', async () => {
		const approve = autoApprove(async () => new Response('<form>', { status: 200 }), REDIRECT);
		await expect(approve(authorizationUrl)).rejects.toThrow('answered 200 instead of redirecting back at once');
		const elsewhere = autoApprove(
			async () => new Response(null, { status: 302, headers: { location: '/login?next=/authorize' } }),
			REDIRECT
		);
		await expect(elsewhere(authorizationUrl)).rejects.toThrow('sent the browser to https://auth.example.com/login');
	});
});

describe('startLoopbackReceiver', () => {
	it('receives the code of the browser coming back, checking the state', async () => {
		const receiver = await startLoopbackReceiver(0);
		try {
			expect(receiver.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
			const code = receiver.waitForCode('s1', 60_000);
			const stranger = await fetch(`${receiver.redirectUrl}?code=evil&state=other`);
			expect(stranger.status).toBe(400);
			expect(await stranger.text()).toContain('Unknown sign-in');
			expect((await fetch(new URL('/elsewhere', receiver.redirectUrl))).status).toBe(404);
			const back = await fetch(`${receiver.redirectUrl}?code=abc&state=s1`);
			expect(back.status).toBe(200);
			expect(await back.text()).toContain('You can close this tab');
			await expect(code).resolves.toBe('abc');
			// Only once.
			expect((await fetch(`${receiver.redirectUrl}?code=abc&state=s1`)).status).toBe(400);
		} finally {
			await receiver.close();
		}
	});

	it('reports a refusal, and cancels what still waits when closed', async () => {
		const receiver = await startLoopbackReceiver(0);
		const refused = expect(receiver.waitForCode('s1', 60_000)).rejects.toThrow(
			'The authorization server refused the sign-in: access_denied.'
		);
		const page = await fetch(`${receiver.redirectUrl}?error=access_denied&state=s1`);
		expect(page.status).toBe(400);
		expect(await page.text()).toContain('access_denied');
		await refused;
		const abandoned = expect(receiver.waitForCode('s2', 60_000)).rejects.toThrow('The sign-in was cancelled.');
		await receiver.close();
		await abandoned;
	});
});
