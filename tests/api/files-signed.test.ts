import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { files as fileRows, users } from '../../src/lib/server/db/schema';
import { signFileLink, type FileLinkClaims } from '../../src/lib/server/files/file-links';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

const SECRET = 'signed-link-tests-secret-0123456789abcdef';

let server: TestServer;
let db: Db;
let key: string;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const HTML = '<!doctype html><html><body><script>alert(1)</script></body></html>';

beforeAll(async () => {
	server = await startServer({ FILE_URL_SECRET: SECRET });
	await signUp(server.baseURL, 'admin@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'admin@example.com'));
	key = (await createApiKey(db, user.id, 'signed link tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Uploads one file with the API key and returns its row. */
async function upload(file: File) {
	const form = new FormData();
	form.append('file', file);
	const response = await fetch(`${server.baseURL}/api/files`, {
		method: 'POST',
		body: form,
		headers: { authorization: `Bearer ${key}` }
	});
	expect(response.status).toBe(201);
	const { files } = (await response.json()) as { files: { id: string }[] };
	const [row] = await db.select().from(fileRows).where(eq(fileRows.id, files[0].id));
	return row;
}

/** A link to a stored file as the server signs it, valid for `seconds` (negative: already expired). */
function linkTo(
	row: { storageKey: string; name: string; mimeType: string },
	seconds: number,
	disposition: FileLinkClaims['disposition'] = 'inline'
): string {
	const token = signFileLink(SECRET, {
		storageKey: row.storageKey,
		mediaType: row.mimeType,
		fileName: row.name,
		disposition,
		expiresAt: Math.floor(Date.now() / 1000) + seconds
	});
	return `${server.baseURL}/api/files/signed/${token}`;
}

describe('GET /api/files/signed/{token}', () => {
	it('downloads the file without a session, shown inline when it is a raster image', async () => {
		const row = await upload(new File([PNG], 'red shoe.png', { type: 'image/png' }));
		const response = await fetch(linkTo(row, 600));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/png');
		expect(response.headers.get('content-disposition')).toBe(`inline; filename="red shoe.png"; filename*=UTF-8''red%20shoe.png`);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		const maxAge = Number(/^private, max-age=(\d+)$/.exec(response.headers.get('cache-control') ?? '')?.[1]);
		expect(maxAge).toBeGreaterThan(590);
		expect(maxAge).toBeLessThanOrEqual(600);
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);
	});

	it('answers HEAD with the same headers and no body', async () => {
		const row = await upload(new File([PNG], 'head.png', { type: 'image/png' }));
		const response = await fetch(linkTo(row, 60), { method: 'HEAD' });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/png');
		expect(await response.text()).toBe('');
	});

	it('downloads anything but a raster image as an attachment, whatever the link asks', async () => {
		const row = await upload(new File([HTML], 'page.html', { type: 'text/html' }));
		const response = await fetch(linkTo(row, 60, 'inline'));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="page.html"/);
		expect(response.headers.get('content-security-policy')).toContain('sandbox');
		expect(await response.text()).toBe(HTML);
	});

	it('refuses a tampered link with 403', async () => {
		const row = await upload(new File([PNG], 'tamper.png', { type: 'image/png' }));
		const link = linkTo(row, 60);
		const [payload, signature] = link.split('/').at(-1)!.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		const longer = Buffer.from(JSON.stringify({ ...claims, e: claims.e + 86_400 })).toString('base64url');
		for (const token of [`${longer}.${signature}`, `${payload}.${signature.slice(1)}`, 'not-a-token']) {
			const response = await fetch(`${server.baseURL}/api/files/signed/${token}`);
			expect(response.status).toBe(403);
			expect(await response.json()).toMatchObject({
				error: { code: 'forbidden', message: expect.stringContaining('not valid') }
			});
		}
	});

	it('refuses a link signed with another secret with 403', async () => {
		const row = await upload(new File([PNG], 'other.png', { type: 'image/png' }));
		const token = signFileLink('some-other-secret-0123456789abcdefghijkl', {
			storageKey: row.storageKey,
			mediaType: row.mimeType,
			fileName: row.name,
			disposition: 'inline',
			expiresAt: Math.floor(Date.now() / 1000) + 60
		});
		const response = await fetch(`${server.baseURL}/api/files/signed/${token}`);
		expect(response.status).toBe(403);
	});

	it('refuses an expired link with 403 saying it expired', async () => {
		const row = await upload(new File([PNG], 'old.png', { type: 'image/png' }));
		const response = await fetch(linkTo(row, -1));
		expect(response.status).toBe(403);
		const body = (await response.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe('forbidden');
		expect(body.error.message).toMatch(/expired/);
	});

	it('answers 404 when the file is no longer stored', async () => {
		const token = signFileLink(SECRET, {
			storageKey: `sha256/00/${'0'.repeat(64)}`,
			mediaType: 'image/png',
			fileName: 'gone.png',
			disposition: 'inline',
			expiresAt: Math.floor(Date.now() / 1000) + 60
		});
		const response = await fetch(`${server.baseURL}/api/files/signed/${token}`);
		expect(response.status).toBe(404);
		expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
	});
});
