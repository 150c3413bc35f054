import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeS3, S3RVER_CREDENTIALS, type FakeS3 } from '../../../../tests/support/fake-s3';
import { ConfigError, parseConfig } from '../config';
import { createFileStorage } from './get-file-storage';
import { LocalFileStorage } from './local-storage';
import { normalizePrefix, S3FileStorage, s3OptionsOf, type S3StorageOptions } from './s3-storage';
import { linkDisposition, storageKeyOf } from './storage';

let s3: FakeS3;
let options: S3StorageOptions;
let storage: S3FileStorage;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

beforeAll(async () => {
	s3 = await startFakeS3();
	options = {
		bucket: s3.bucket,
		region: 'us-east-1',
		endpoint: s3.endpoint,
		forcePathStyle: true,
		credentials: S3RVER_CREDENTIALS,
		prefix: 'parley'
	};
	storage = new S3FileStorage(options);
});

afterAll(async () => {
	await s3?.stop();
});

afterEach(() => {
	vi.unstubAllEnvs();
	vi.restoreAllMocks();
});

/** An AWS SDK client of the fake server. */
function s3Client(): S3Client {
	return new S3Client({
		region: 'us-east-1',
		endpoint: s3.endpoint,
		forcePathStyle: true,
		credentials: { ...S3RVER_CREDENTIALS }
	});
}

/** The S3 driver over the fake server without a prefix, to read what another storage wrote. */
function unprefixed(): S3FileStorage {
	return new S3FileStorage({ ...options, prefix: undefined });
}

describe('S3FileStorage', () => {
	it('stores bytes under their SHA-256 below the prefix and reads them back whole and streamed', async () => {
		const bytes = new TextEncoder().encode('hello from s3');
		const key = await storage.put(bytes);
		expect(key).toBe(storageKeyOf(bytes));
		expect(storage.objectKey(key)).toBe(`parley/${key}`);
		expect(new TextDecoder().decode(await storage.get(key))).toBe('hello from s3');
		expect(await new Response(await storage.stream(key)).text()).toBe('hello from s3');
		// The object really is below the prefix: without it, the key is not there.
		await expect(unprefixed().get(key)).rejects.toMatchObject({ code: 'not_found' });
	});

	it('does not upload bytes that are already stored with the same size', async () => {
		const client = s3Client();
		const counted = new S3FileStorage(options, client);
		const send = vi.spyOn(client, 'send');
		const uploads = () => send.mock.calls.filter(([command]) => command instanceof PutObjectCommand).length;
		const bytes = new TextEncoder().encode(`once ${Date.now()}`);
		const first = await counted.put(bytes);
		expect(uploads()).toBe(1);
		expect(await counted.put(bytes)).toBe(first);
		expect(uploads()).toBe(1);
		expect(await counted.get(first)).toEqual(bytes);
	});

	it('stores again over an object of another size under the same key', async () => {
		const bytes = new TextEncoder().encode('the right bytes');
		const key = storageKeyOf(bytes);
		const client = s3Client();
		await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `parley/${key}`, Body: 'cut' }));
		expect(await storage.put(bytes)).toBe(key);
		expect(new TextDecoder().decode(await storage.get(key))).toBe('the right bytes');
	});

	it('deletes bytes, ignores deleting them twice, and reports missing or foreign keys as not found', async () => {
		const key = await storage.put(new TextEncoder().encode('short-lived'));
		await storage.delete(key);
		await storage.delete(key);
		await expect(storage.get(key)).rejects.toMatchObject({ code: 'not_found' });
		await expect(storage.stream(key)).rejects.toMatchObject({ code: 'not_found' });
		await expect(storage.get('../../etc/passwd')).rejects.toMatchObject({ code: 'not_found' });
		await expect(storage.signedUrl('not-a-key', linkOf('a.txt', 'text/plain'))).rejects.toMatchObject({
			code: 'not_found'
		});
	});

	it('signs a GetObject link that plain fetch downloads with the asked type and name', async () => {
		const key = await storage.put(PNG);
		const url = await storage.signedUrl(key, { ...linkOf('shoe.png', 'image/png'), disposition: 'inline' });
		expect(url.startsWith(`${s3.endpoint}/${s3.bucket}/parley/${key}?`)).toBe(true);
		const query = new URL(url).searchParams;
		expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(query.get('X-Amz-Expires')).toBe('300');
		const response = await fetch(url);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/png');
		expect(response.headers.get('content-disposition')).toBe(`inline; filename="shoe.png"; filename*=UTF-8''shoe.png`);
		expect(response.headers.get('cache-control')).toBe('private, max-age=300');
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);
	});

	it('signs anything but a raster image as a download, whatever is asked', async () => {
		const key = await storage.put(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'));
		const url = await storage.signedUrl(key, { ...linkOf('logo.svg', 'image/svg+xml'), disposition: 'inline' });
		const response = await fetch(url);
		expect(response.headers.get('content-type')).toBe('image/svg+xml');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.svg"/);
	});

	it('refuses link lifetimes outside 1 second to 7 days', async () => {
		const key = await storage.put(PNG);
		for (const expiresInSeconds of [0, -5, 1.5, 7 * 24 * 3600 + 1]) {
			await expect(storage.signedUrl(key, { ...linkOf('a.png', 'image/png'), expiresInSeconds })).rejects.toMatchObject({
				code: 'invalid_input'
			});
		}
	});
});

/** Signed link options for a file name and type, five minutes long, as a download. */
function linkOf(fileName: string, mediaType: string) {
	return { fileName, mediaType, expiresInSeconds: 300, disposition: 'attachment' as const };
}

describe('choosing the storage', () => {
	it('uses the local disk by default and S3 with STORAGE_DRIVER=s3', async () => {
		expect(createFileStorage(parseConfig({ UPLOADS_DIR: '/tmp/parley-uploads' }))).toBeInstanceOf(LocalFileStorage);
		const config = parseConfig(s3.env('parley/'));
		expect(s3OptionsOf(config)).toEqual({
			bucket: s3.bucket,
			region: 'us-east-1',
			endpoint: s3.endpoint,
			credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
			forcePathStyle: true,
			prefix: 'parley/'
		});
		const chosen = createFileStorage(config);
		expect(chosen).not.toBeInstanceOf(LocalFileStorage);
		const key = await chosen.put(new TextEncoder().encode('chosen by config'));
		expect(new TextDecoder().decode(await storage.get(key))).toBe('chosen by config');
	});

	it('getFileStorage() stores in the bucket named by the environment and nothing on disk', async () => {
		const uploads = mkdtempSync(join(tmpdir(), 'parley-uploads-'));
		rmSync(uploads, { recursive: true });
		for (const [name, value] of Object.entries({ ...s3.env('from-env'), UPLOADS_DIR: uploads })) vi.stubEnv(name, value);
		vi.resetModules();
		const { getFileStorage } = await import('./get-file-storage');
		const bytes = new TextEncoder().encode('picked from the environment');
		const key = await getFileStorage().put(bytes);
		const direct = new S3FileStorage({ ...options, prefix: 'from-env' });
		expect(new TextDecoder().decode(await direct.get(key))).toBe('picked from the environment');
		expect(existsSync(uploads)).toBe(false);
	});

	it('keeps the S3 options apart: prefixes become folders, path style and credentials are optional', () => {
		expect(normalizePrefix(undefined)).toBe('');
		expect(normalizePrefix(' /a/b/ ')).toBe('a/b/');
		expect(normalizePrefix('parley')).toBe('parley/');
		const config = parseConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'bucket' });
		expect(s3OptionsOf(config)).toMatchObject({ region: 'us-east-1', forcePathStyle: false, credentials: undefined });
		expect(parseConfig({ S3_FORCE_PATH_STYLE: '1' }).S3_FORCE_PATH_STYLE).toBe(true);
		expect(parseConfig({}).STORAGE_DRIVER).toBe('local');
	});
});

describe('storage configuration errors', () => {
	/** The message of the ConfigError an environment gives. */
	function errorOf(env: Record<string, string>): string {
		try {
			parseConfig(env);
		} catch (error) {
			expect(error).toBeInstanceOf(ConfigError);
			return (error as Error).message;
		}
		throw new Error('parseConfig accepted the environment');
	}

	it('names S3_BUCKET when the s3 driver has no bucket', () => {
		expect(errorOf({ STORAGE_DRIVER: 's3' })).toContain('S3_BUCKET: must be set when STORAGE_DRIVER is s3');
		expect(errorOf({ STORAGE_DRIVER: 's3', S3_BUCKET: '  ' })).toContain('S3_BUCKET');
	});

	it('names every other bad storage variable', () => {
		expect(errorOf({ STORAGE_DRIVER: 'ftp' })).toContain('STORAGE_DRIVER: must be local or s3');
		expect(errorOf({ S3_ENDPOINT: 'minio' })).toContain('S3_ENDPOINT');
		expect(errorOf({ S3_FORCE_PATH_STYLE: 'maybe' })).toContain('S3_FORCE_PATH_STYLE: must be true or false');
		expect(errorOf({ S3_ACCESS_KEY_ID: 'id' })).toContain('S3_SECRET_ACCESS_KEY');
		expect(errorOf({ FILE_URL_SECRET: 'short' })).toContain('FILE_URL_SECRET: must be at least 32 characters');
	});
});

describe('linkDisposition', () => {
	it('shows only raster images inline, and only when asked', () => {
		expect(linkDisposition('image/png', 'inline')).toBe('inline');
		expect(linkDisposition('image/JPEG', 'inline')).toBe('inline');
		expect(linkDisposition('image/png', 'attachment')).toBe('attachment');
		for (const type of ['image/svg+xml', 'text/html', 'application/pdf', 'application/octet-stream']) {
			expect(linkDisposition(type, 'inline')).toBe('attachment');
		}
	});
});
