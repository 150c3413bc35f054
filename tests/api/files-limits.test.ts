import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { files, users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';
import { textPng } from '../support/text-png';

let server: TestServer;
let db: Db;
let key: string;
let userId: string;

beforeAll(async () => {
	server = await startServer({ FILE_SIZE_LIMIT: '100000', FILE_SIZE_LIMIT_IMAGE: '2048', FILE_SIZE_LIMIT_AUDIO: '50000' });
	await signUp(server.baseURL, 'alice@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'alice@example.com'));
	userId = user.id;
	key = (await createApiKey(db, user.id, 'limit tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Every file under the uploads folder (beside the server's database; the seeded catalogue's images are there too). */
function storedFiles(): string[] {
	const uploads = join(dirname(server.databaseUrl.slice('file:'.length)), 'uploads');
	return existsSync(uploads) ? readdirSync(uploads, { recursive: true }).map(String) : [];
}

/** The storage key of these bytes (content-addressed by SHA-256). */
function keyOf(bytes: Uint8Array | string): string {
	const hash = createHash('sha256').update(bytes).digest('hex');
	return join('sha256', hash.slice(0, 2), hash);
}

function upload(file: File): Promise<Response> {
	const form = new FormData();
	form.append('file', file);
	return fetch(`${server.baseURL}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
}

describe('size limits per kind of file (built server)', () => {
	it('answers 413 naming the file, its type and the limit for an image over FILE_SIZE_LIMIT_IMAGE, and stores nothing', async () => {
		const image = textPng(['A PICTURE OF TEXT']);
		expect(image.byteLength).toBeGreaterThan(2048);
		const before = storedFiles();
		// The declared type and the name say "document"; the content says PNG, and that decides.
		const response = await upload(new File([image], 'notes.txt', { type: 'text/plain' }));
		expect(response.status).toBe(413);
		expect(await response.json()).toEqual({
			error: {
				code: 'payload_too_large',
				message: 'The file "notes.txt" (image/png) is larger than the limit of 2 KB for images.',
				field: 'file'
			}
		});
		expect(await db.select().from(files).where(eq(files.userId, userId))).toEqual([]);
		expect(storedFiles()).toEqual(before);
		expect(before).not.toContain(keyOf(image));
	});

	it('takes a document of the same size, within its own limit', async () => {
		const text = 'x'.repeat(5000);
		const response = await upload(new File([text], 'notes.txt'));
		expect(response.status).toBe(201);
		expect((await response.json()).files[0]).toMatchObject({ name: 'notes.txt', mime_type: 'text/plain', size: 5000 });
		expect(storedFiles()).toContain(keyOf(text));
	});
});
