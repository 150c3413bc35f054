/**
 * The log-in and sign-up forms: posts only from this site, failed log-ins throttled per account
 * and per client address, and the redirect after logging in kept on this site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

const PASSWORD = 'correct horse battery';

/** A status, reading the body so the connection is free again. */
async function statusOf(response: Response): Promise<number> {
	await response.text();
	return response.status;
}

/** A form post to `/login` or `/signup` as a browser sends it without JavaScript. */
function postForm(baseURL: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
	return fetch(`${baseURL}${path}`, {
		method: 'POST',
		headers: { origin: baseURL, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
}

describe('failed log-ins behind one proxy (TRUSTED_PROXY=1, so each test has its own addresses)', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startServer({ TRUSTED_PROXY: '1', LOGIN_FAILURE_LIMIT_PER_ADDRESS: '5' });
		await signUp(server.baseURL, 'bob@example.com');
		await signUp(server.baseURL, 'carol@example.com');
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('refuses the 11th failed log-in for an account with 429 and retry-after, even with the right password', async () => {
		for (let i = 0; i < 10; i++) {
			// From changing addresses: the account's limit holds whatever the address.
			const wrong = await postForm(
				server.baseURL,
				'/login',
				{ email: 'bob@example.com', password: `wrong password ${i}` },
				{
					'x-forwarded-for': `10.1.0.${i}`
				}
			);
			expect(await statusOf(wrong)).toBe(401);
		}
		const limited = await postForm(
			server.baseURL,
			'/login',
			{ email: 'bob@example.com', password: 'wrong password 11' },
			{
				'x-forwarded-for': '10.1.0.100'
			}
		);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
		expect(await limited.text()).toContain('Too many failed log-ins. Try again in 15 minutes.');
		const right = await postForm(
			server.baseURL,
			'/login',
			{ email: 'bob@example.com', password: PASSWORD },
			{
				'x-forwarded-for': '10.1.0.101'
			}
		);
		expect(right.status).toBe(429);
		expect(right.headers.get('set-cookie')).toBeNull();
		await right.text();
	});

	it('refuses log-ins from an address after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures on any accounts', async () => {
		const headers = { 'x-forwarded-for': '10.2.0.1' };
		for (let i = 0; i < 5; i++) {
			const wrong = await postForm(server.baseURL, '/login', { email: `nobody${i}@example.com`, password: 'wrong password' }, headers);
			expect(await statusOf(wrong)).toBe(401);
		}
		const limited = await postForm(server.baseURL, '/login', { email: 'carol@example.com', password: PASSWORD }, headers);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		await limited.text();
		// Carol elsewhere is not affected.
		const elsewhere = await postForm(
			server.baseURL,
			'/login',
			{ email: 'carol@example.com', password: PASSWORD },
			{
				'x-forwarded-for': '10.2.0.2'
			}
		);
		expect(elsewhere.status).toBe(303);
	});

	it('answers an enhanced (JavaScript) log-in over the limit with the failure and retry-after', async () => {
		const headers = { 'x-forwarded-for': '10.2.0.1', accept: 'application/json', 'x-sveltekit-action': 'true' };
		const limited = await postForm(server.baseURL, '/login', { email: 'carol@example.com', password: PASSWORD }, headers);
		expect(limited.status).toBe(200);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		const body = await limited.json();
		expect(body).toMatchObject({ type: 'failure', status: 429 });
		expect(body.data).toContain('Too many failed log-ins');
	});
});

describe('the log-in and sign-up forms', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startServer();
		await signUp(server.baseURL, 'dave@example.com');
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('refuse posts from another site with 403', async () => {
		const login = await postForm(
			server.baseURL,
			'/login',
			{ email: 'dave@example.com', password: PASSWORD },
			{
				origin: 'https://evil.example'
			}
		);
		expect(login.status).toBe(403);
		expect(login.headers.get('set-cookie')).toBeNull();
		await login.text();
		const signup = await postForm(
			server.baseURL,
			'/signup',
			{ email: 'eve@example.com', password: PASSWORD },
			{
				origin: 'https://evil.example'
			}
		);
		expect(signup.status).toBe(403);
		expect(signup.headers.get('set-cookie')).toBeNull();
		await signup.text();
		// No account was made: logging in as it from this site fails.
		const check = await postForm(server.baseURL, '/login', { email: 'eve@example.com', password: PASSWORD });
		expect(await statusOf(check)).toBe(401);
	});

	it('refuse a post with neither Origin nor Referer', async () => {
		const bare = await fetch(`${server.baseURL}/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ email: 'dave@example.com', password: PASSWORD }),
			redirect: 'manual'
		});
		expect(await statusOf(bare)).toBe(403);
	});

	it.each([
		['/%09/evil.example'],
		['//evil.example'],
		['/%5Cevil.example'],
		['https://evil.example/'],
		['javascript:alert(1)'],
		['%09//evil.example']
	])('redirect after logging in with next=%s to this site', async (next) => {
		const response = await postForm(server.baseURL, `/login?next=${next}`, { email: 'dave@example.com', password: PASSWORD });
		expect(response.status).toBe(303);
		const location = response.headers.get('location') ?? '';
		expect(new URL(location, `${server.baseURL}/login`).origin).toBe(server.baseURL);
		expect(location.startsWith('//')).toBe(false);
	});

	it('keep a same-site next, and answer a next with CR/LF without a 500', async () => {
		const kept = await postForm(server.baseURL, '/login?next=/tasks%3Fpage%3D2', { email: 'dave@example.com', password: PASSWORD });
		expect(kept.status).toBe(303);
		expect(kept.headers.get('location')).toBe('/tasks?page=2');
		const crlf = await postForm(server.baseURL, '/login?next=/tasks%0D%0ASet-Cookie:%20x=1', {
			email: 'dave@example.com',
			password: PASSWORD
		});
		expect(crlf.status).toBe(303);
		expect(crlf.headers.get('location')).toBe('/tasksSet-Cookie:%20x=1');
		expect(crlf.headers.getSetCookie().some((cookie) => cookie.startsWith('x='))).toBe(false);
		// Already logged in, the page itself redirects the same way.
		const cookie =
			crlf.headers
				.getSetCookie()
				.find((value) => value.startsWith('parley_session='))
				?.split(';')[0] ?? '';
		const page = await fetch(`${server.baseURL}/login?next=/%09/evil.example`, { headers: { cookie }, redirect: 'manual' });
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe('/');
	});
});
