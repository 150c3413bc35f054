/** A signed-in browser-like client of a test server: it sends the session cookie and a same-site Origin. */
export interface SessionClient {
	email: string;
	cookie: string;
	/** fetch with the session cookie and Origin set. */
	fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** Signs up through the real form action and keeps the session cookie. */
export async function signUp(baseURL: string, email: string, password = 'correct horse battery'): Promise<SessionClient> {
	const response = await fetch(`${baseURL}/signup`, {
		method: 'POST',
		headers: { origin: baseURL, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	if (response.status !== 303) throw new Error(`Sign-up failed with ${response.status}: ${await response.text()}`);
	return sessionOf(baseURL, email, response);
}

/** The signed-in client of a sign-up or log-in answer. */
function sessionOf(baseURL: string, email: string, response: Response): SessionClient {
	const cookie = response.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.find((pair) => pair.startsWith('parley_session='));
	if (!cookie) throw new Error('The answer set no session cookie');
	return {
		email,
		cookie,
		fetch(path, init = {}) {
			const headers = new Headers(init.headers);
			headers.set('cookie', cookie);
			if (!headers.has('origin')) headers.set('origin', baseURL);
			return fetch(new URL(path, baseURL), { ...init, headers });
		}
	};
}

/** Logs an existing account in through the real form action and keeps the session cookie. */
export async function logIn(baseURL: string, email: string, password: string): Promise<SessionClient> {
	const response = await fetch(`${baseURL}/login`, {
		method: 'POST',
		headers: { origin: baseURL, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	if (response.status !== 303) throw new Error(`Log-in failed with ${response.status}: ${await response.text()}`);
	return sessionOf(baseURL, email, response);
}
