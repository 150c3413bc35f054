import type { Cookies } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { AppError } from '../errors';
import { createAccount } from './accounts';
import { createApiKey } from './api-keys';
import { ANONYMOUS, authenticate, bearerToken, type Credentials } from './authenticate';
import { sessionCookieName, startSession } from './session';

let temp: TempDb;
let userId: string;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	userId = (await createAccount(temp.db, { email: 'who@example.com', password: 'correct horse battery' })).id;
});

afterEach(() => {
	temp.cleanup();
});

/** A cookie jar in memory. */
function jar(values: Record<string, string> = {}): Cookies {
	const cookies = new Map(Object.entries(values));
	const partial: Pick<Cookies, 'get' | 'set'> = {
		get: (name) => cookies.get(name),
		set: (name, value) => void cookies.set(name, value)
	};
	return partial as Cookies;
}

const crossSiteError = new AppError('forbidden', 'Cross-site refused.');

function credentials(changes: Partial<Credentials>): Credentials {
	return { apiKey: null, cookies: jar(), crossSite: () => null, cookiePolicy: { secure: false }, ...changes };
}

describe('authenticate', () => {
	it('takes a valid API key, and refuses an invalid one as unauthorized', async () => {
		const { key, id } = await createApiKey(temp.db, userId, 'tests');
		await expect(authenticate(temp.db, credentials({ apiKey: key }))).resolves.toMatchObject({
			user: { id: userId },
			apiKeyId: id,
			sessionId: null,
			authMethod: 'api-key'
		});
		await expect(authenticate(temp.db, credentials({ apiKey: 'pk_nope' }))).rejects.toMatchObject({ code: 'unauthorized' });
	});

	it('reads a session from this site, refuses one from another site, and ignores a gone one', async () => {
		const cookies = jar();
		await startSession(temp.db, cookies, userId, { secure: false });
		const session = await authenticate(temp.db, credentials({ cookies }));
		expect(session).toMatchObject({ user: { id: userId }, apiKeyId: null, authMethod: 'session' });
		expect(session.sessionId).toEqual(expect.any(String));

		await expect(authenticate(temp.db, credentials({ cookies, crossSite: () => crossSiteError }))).rejects.toBe(crossSiteError);
		const gone = jar({ [sessionCookieName(temp.db)]: 'no-such-session' });
		await expect(authenticate(temp.db, credentials({ cookies: gone }))).resolves.toStrictEqual(ANONYMOUS);
	});

	it('is anonymous without credentials, whatever the origin', async () => {
		await expect(authenticate(temp.db, credentials({ crossSite: () => crossSiteError }))).resolves.toStrictEqual(ANONYMOUS);
	});
});

describe('bearerToken', () => {
	it('reads the token of a Bearer header only', () => {
		expect(bearerToken('Bearer pk_abc')).toBe('pk_abc');
		expect(bearerToken('bearer   pk_abc  ')).toBe('pk_abc');
		expect(bearerToken('Basic abc')).toBeNull();
		expect(bearerToken(null)).toBeNull();
	});
});
