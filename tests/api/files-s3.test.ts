import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { files as fileRows, users } from '../../src/lib/server/db/schema';
import { S3FileStorage } from '../../src/lib/server/files/s3-storage';
import { S3RVER_CREDENTIALS, startFakeS3, type FakeS3 } from '../support/fake-s3';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

let s3: FakeS3;
let server: TestServer;
let db: Db;
let key: string;
/** The bucket as Parley sees it (same prefix), to check what it stored. */
let bucket: S3FileStorage;

const PREFIX = 'parley-tests/';

beforeAll(async () => {
	s3 = await startFakeS3();
	server = await startServer(s3.env(PREFIX));
	await signUp(server.baseURL, 'admin@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'admin@example.com'));
	key = (await createApiKey(db, user.id, 's3 tests')).key;
	bucket = new S3FileStorage({
		bucket: s3.bucket,
		region: 'us-east-1',
		endpoint: s3.endpoint,
		forcePathStyle: true,
		credentials: { ...S3RVER_CREDENTIALS },
		prefix: PREFIX
	});
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
	await s3?.stop();
});

function api(path: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set('authorization', `Bearer ${key}`);
	return fetch(`${server.baseURL}${path}`, { ...init, headers });
}

/** Uploads one file through the public API and returns its id. */
async function upload(file: File): Promise<string> {
	const form = new FormData();
	form.append('file', file);
	const response = await api('/api/files', { method: 'POST', body: form });
	expect(response.status).toBe(201);
	const { files } = (await response.json()) as { files: { id: string }[] };
	return files[0].id;
}

/** The folder the local driver would use: `uploads` beside the server's `file:` database. */
function localUploadsFolder(): string {
	return join(dirname(server.databaseUrl.slice('file:'.length)), 'uploads');
}

describe('STORAGE_DRIVER=s3', () => {
	it('stores uploads in the bucket and serves them back from it', async () => {
		const text = `Notes kept in S3, ${'é'.repeat(3)}.\n`;
		const id = await upload(new File([text], 'notes.txt', { type: 'text/plain' }));
		const [row] = await db.select().from(fileRows).where(eq(fileRows.id, id));
		expect(new TextDecoder().decode(await bucket.get(row.storageKey))).toBe(text);

		const download = await api(`/api/files/${id}`);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.txt"/);
		expect(await download.text()).toBe(text);
	});

	it('reads the text of a document from the bucket', async () => {
		const id = await upload(new File(['The answer is forty-two.'], 'answer.md', { type: 'text/markdown' }));
		let meta: { extraction_status: string; text_length: number } | undefined;
		for (let attempt = 0; attempt < 200; attempt++) {
			meta = await (await api(`/api/files/${id}/meta`)).json();
			if (meta?.extraction_status !== 'pending' && meta?.extraction_status !== 'extracting') break;
			await new Promise((wake) => setTimeout(wake, 50));
		}
		expect(meta).toMatchObject({ extraction_status: 'ready', text_length: 'The answer is forty-two.'.length });
	});

	it('answers 404 for a file whose object is gone from the bucket', async () => {
		const id = await upload(new File(['soon gone'], 'gone.txt', { type: 'text/plain' }));
		const [row] = await db.select().from(fileRows).where(eq(fileRows.id, id));
		await bucket.delete(row.storageKey);
		const response = await api(`/api/files/${id}`);
		expect(response.status).toBe(404);
		expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
	});

	it('refuses to start without a bucket, naming S3_BUCKET', () => {
		const result = spawnSync(process.execPath, ['build'], {
			cwd: resolve(import.meta.dirname, '../..'),
			env: { PATH: process.env.PATH, PORT: '0', DATABASE_URL: 'file::memory:', STORAGE_DRIVER: 's3' },
			encoding: 'utf8',
			timeout: 20_000
		});
		expect(result.status).not.toBe(0);
		expect(result.stderr).toContain('S3_BUCKET: must be set when STORAGE_DRIVER is s3');
	});

	it('keeps nothing in the local uploads folder', () => {
		expect(existsSync(localUploadsFolder())).toBe(false);
		expect(server.output()).not.toContain('unexpected error');
	});
});
