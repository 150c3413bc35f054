import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { openDatabase } from '../db';
import { appMeta } from '../db/schema';
import { fileUrlSecret, signFileLink, verifyFileLink, type FileLinkClaims } from './file-links';
import { LocalFileStorage } from './local-storage';
import { DEFAULT_SIGNED_URL_SECONDS, signedFileUrl } from './signed-urls';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const KEY = `sha256/ab/${'ab'.repeat(32)}`;

const claims: FileLinkClaims = {
	storageKey: KEY,
	mediaType: 'image/png',
	fileName: 'red shoe.png',
	disposition: 'inline',
	expiresAt: NOW / 1000 + 60
};

let temp: TempDb;
let folder: string;
let storage: LocalFileStorage;

beforeAll(async () => {
	temp = await createTempDb();
	folder = mkdtempSync(join(tmpdir(), 'parley-links-'));
	storage = new LocalFileStorage(folder);
});

afterAll(() => {
	temp?.cleanup();
	rmSync(folder, { recursive: true, force: true });
});

/** The token of a local signed link. */
function tokenOf(url: string): string {
	expect(url).toMatch(/^\/api\/files\/signed\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
	return url.slice('/api/files/signed/'.length);
}

describe('signFileLink and verifyFileLink', () => {
	it('give back the claims of a valid link', () => {
		const token = signFileLink(SECRET, claims);
		expect(verifyFileLink(SECRET, token, NOW)).toEqual(claims);
		expect(verifyFileLink(SECRET, token, NOW + 59_000)).toEqual(claims);
	});

	it('refuse an expired link, saying so', () => {
		const token = signFileLink(SECRET, claims);
		for (const now of [NOW + 60_000, NOW + 3_600_000]) {
			expect(() => verifyFileLink(SECRET, token, now)).toThrow(
				expect.objectContaining({ code: 'forbidden', message: expect.stringMatching(/expired at 2030-01-01T12:01:00/) })
			);
		}
	});

	it('refuse a tampered link', () => {
		const token = signFileLink(SECRET, claims);
		const [payload, signature] = token.split('.');
		const longer = Buffer.from(
			JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), e: claims.expiresAt + 86_400 })
		).toString('base64url');
		const otherFile = Buffer.from(
			JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), k: `sha256/cd/${'cd'.repeat(32)}` })
		).toString('base64url');
		const flipped = signature.slice(0, -1) + (signature.at(-1) === 'A' ? 'B' : 'A');
		for (const tampered of [`${longer}.${signature}`, `${otherFile}.${signature}`, `${payload}.${flipped}`]) {
			expect(() => verifyFileLink(SECRET, tampered, NOW)).toThrow(
				expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('not valid') })
			);
		}
	});

	it('refuse a link signed with another key', () => {
		const token = signFileLink('another-secret-of-at-least-32-characters', claims);
		expect(() => verifyFileLink(SECRET, token, NOW)).toThrow(expect.objectContaining({ code: 'forbidden' }));
	});

	it('refuse what is not a token at all', () => {
		const unsigned = Buffer.from('{"k":1}').toString('base64url');
		for (const token of ['', 'abc', 'a.b.c', `${unsigned}.`, '.sig', `${unsigned}.${'x'.repeat(43)}`]) {
			expect(() => verifyFileLink(SECRET, token, NOW)).toThrow(expect.objectContaining({ code: 'forbidden' }));
		}
		// Correctly signed, but not claims.
		const payload = Buffer.from('{"k":1}').toString('base64url');
		const forged = signFileLink(SECRET, claims).replace(/^[^.]+/, payload);
		expect(() => verifyFileLink(SECRET, forged, NOW)).toThrow(expect.objectContaining({ code: 'forbidden' }));
	});
});

describe('fileUrlSecret', () => {
	it('uses FILE_URL_SECRET when set', async () => {
		expect(await fileUrlSecret(temp.db, { FILE_URL_SECRET: SECRET })).toBe(SECRET);
	});

	it('otherwise generates one secret, keeps it in app_meta and gives it to every connection', async () => {
		const first = await fileUrlSecret(temp.db, {});
		expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(await fileUrlSecret(temp.db, {})).toBe(first);
		const [row] = await temp.db.select().from(appMeta).where(eq(appMeta.key, 'file_url_secret'));
		expect(row.value).toBe(first);
		const other = await openDatabase({ url: temp.url });
		try {
			expect(await fileUrlSecret(other, {})).toBe(first);
		} finally {
			other.$client.close();
		}
	});

	it('differs between installations', async () => {
		const another = await createTempDb();
		try {
			expect(await fileUrlSecret(another.db, {})).not.toBe(await fileUrlSecret(temp.db, {}));
		} finally {
			another.cleanup();
		}
	});
});

describe('signedFileUrl on the local disk', () => {
	it('links to /api/files/signed/<token> with the file, its type and name, for an hour by default', async () => {
		const before = Math.floor(Date.now() / 1000);
		const url = await signedFileUrl(temp.db, { storageKey: KEY, name: 'red shoe.png', mimeType: 'image/png' }, { storage });
		const found = verifyFileLink(await fileUrlSecret(temp.db), tokenOf(url));
		expect(found).toMatchObject({ storageKey: KEY, mediaType: 'image/png', fileName: 'red shoe.png', disposition: 'inline' });
		expect(found.expiresAt - before).toBeGreaterThanOrEqual(DEFAULT_SIGNED_URL_SECONDS);
		expect(found.expiresAt - before).toBeLessThanOrEqual(DEFAULT_SIGNED_URL_SECONDS + 1);
	});

	it('asks for a download of anything but a raster image, and of an image when told', async () => {
		const page = await signedFileUrl(temp.db, { storageKey: KEY, name: 'page.html', mimeType: 'text/html' }, { storage });
		expect(verifyFileLink(await fileUrlSecret(temp.db), tokenOf(page)).disposition).toBe('attachment');
		const image = await signedFileUrl(
			temp.db,
			{ storageKey: KEY, name: 'a.png', mimeType: 'image/png' },
			{ storage, disposition: 'attachment', expiresInSeconds: 30 }
		);
		expect(verifyFileLink(await fileUrlSecret(temp.db), tokenOf(image)).disposition).toBe('attachment');
	});

	it('makes links that stop working when they expire', async () => {
		const file = { storageKey: KEY, name: 'a.png', mimeType: 'image/png' };
		const url = await signedFileUrl(temp.db, file, { storage, expiresInSeconds: 5 });
		const secret = await fileUrlSecret(temp.db);
		expect(() => verifyFileLink(secret, tokenOf(url), Date.now() + 6_000)).toThrow(
			expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('expired') })
		);
	});

	it('refuses keys that cannot be stored files and lifetimes out of range', async () => {
		await expect(
			signedFileUrl(temp.db, { storageKey: '../etc/passwd', name: 'x', mimeType: 'text/plain' }, { storage })
		).rejects.toMatchObject({ code: 'not_found' });
		await expect(
			signedFileUrl(temp.db, { storageKey: KEY, name: 'x', mimeType: 'text/plain' }, { storage, expiresInSeconds: 0 })
		).rejects.toMatchObject({ code: 'invalid_input' });
	});
});
