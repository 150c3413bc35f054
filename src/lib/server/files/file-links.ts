import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { getConfig, type Config } from '../config';
import type { Db } from '../db';
import { appMeta } from '../db/schema';
import { AppError } from '../errors';

/** The path below which Parley serves its own signed links to stored files. */
export const SIGNED_FILE_PATH = '/api/files/signed/';

/** The `app_meta` key of the link secret generated when `FILE_URL_SECRET` is unset. */
const SECRET_KEY = 'file_url_secret';

/** What a signed link to a stored file carries. */
export interface FileLinkClaims {
	storageKey: string;
	mediaType: string;
	fileName: string;
	disposition: 'inline' | 'attachment';
	/** When the link stops working, in whole seconds since the epoch. */
	expiresAt: number;
}

/** The claims as they travel in a token, with short names to keep links short. */
const tokenPayloadSchema = z.object({
	k: z.string().min(1),
	t: z.string().min(1),
	n: z.string(),
	d: z.enum(['inline', 'attachment']),
	e: z.number().int()
});

/** The HMAC-SHA256 of a token's payload part, in base64url. */
function signatureOf(secret: string, payload: string): string {
	return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** The error for a link whose signature or content is wrong. */
function invalidLink(): AppError {
	return new AppError('forbidden', 'This file link is not valid. Ask for a new link.', { field: 'token' });
}

/** Seconds since the epoch, whole. */
export function nowInSeconds(now = Date.now()): number {
	return Math.floor(now / 1000);
}

/**
 * A token for a signed link: the claims as base64url JSON, a dot, and their HMAC-SHA256 under
 * `secret`. Anyone holding the token can read the file until it expires.
 */
export function signFileLink(secret: string, claims: FileLinkClaims): string {
	const payload = Buffer.from(
		JSON.stringify({
			k: claims.storageKey,
			t: claims.mediaType,
			n: claims.fileName,
			d: claims.disposition,
			e: claims.expiresAt
		} satisfies z.infer<typeof tokenPayloadSchema>)
	).toString('base64url');
	return `${payload}.${signatureOf(secret, payload)}`;
}

/**
 * The claims of a token made by {@link signFileLink} with the same secret. A token that was
 * altered, signed with another secret or is not a token at all is `forbidden`, and so is an
 * expired one (with a message that says so).
 */
export function verifyFileLink(secret: string, token: string, now = Date.now()): FileLinkClaims {
	const [payload, signature, ...rest] = token.split('.');
	if (!payload || !signature || rest.length > 0) throw invalidLink();
	const expected = Buffer.from(signatureOf(secret, payload));
	const given = Buffer.from(signature);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidLink();
	let decoded: unknown;
	try {
		decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
	} catch {
		throw invalidLink();
	}
	const parsed = tokenPayloadSchema.safeParse(decoded);
	if (!parsed.success) throw invalidLink();
	const { k, t, n, d, e } = parsed.data;
	if (e <= nowInSeconds(now)) {
		throw new AppError('forbidden', `This file link expired at ${new Date(e * 1000).toISOString()}. Ask for a new link.`, {
			field: 'token'
		});
	}
	return { storageKey: k, mediaType: t, fileName: n, disposition: d, expiresAt: e };
}

const generatedSecrets = new WeakMap<Db, Promise<string>>();

/**
 * The secret that signs file links: `FILE_URL_SECRET` when set, else a random secret generated
 * once per installation and kept in the database's `app_meta`, so that links survive restarts and
 * work in every process that shares the database.
 */
export function fileUrlSecret(db: Db, config: Pick<Config, 'FILE_URL_SECRET'> = getConfig()): Promise<string> {
	if (config.FILE_URL_SECRET) return Promise.resolve(config.FILE_URL_SECRET);
	let secret = generatedSecrets.get(db);
	if (!secret) {
		secret = storedSecret(db);
		generatedSecrets.set(db, secret);
		// A failed read must not be remembered: the next link tries again.
		secret.catch(() => generatedSecrets.delete(db));
	}
	return secret;
}

/** The secret in `app_meta`, created first when missing (the first writer wins a race). */
async function storedSecret(db: Db): Promise<string> {
	await db
		.insert(appMeta)
		.values({ key: SECRET_KEY, value: randomBytes(32).toString('base64url') })
		.onConflictDoNothing({ target: appMeta.key });
	const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, SECRET_KEY));
	return row.value;
}
