import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { s3OptionsOf } from '../files/s3-storage';
import { addSources, fileLinkOrigins, imageSources, securityHeadersFor, STANDALONE_PAGE_CSP } from './security-headers';

const PAGE_CSP = "default-src 'self'; script-src 'self' 'nonce-abc'; img-src 'self' data: blob:; media-src 'self'; frame-ancestors 'self'";

const local = parseConfig({});
const s3 = parseConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'parley-files', S3_ENDPOINT: 'http://127.0.0.1:9000' });

/** The origin of a link the AWS SDK presigns for a configuration, as the app's S3 storage would. */
async function presignedOrigin(env: Record<string, string>): Promise<string> {
	const options = s3OptionsOf(parseConfig({ STORAGE_DRIVER: 's3', ...env }));
	const client = new S3Client({
		region: options.region,
		endpoint: options.endpoint,
		forcePathStyle: options.forcePathStyle,
		credentials: { accessKeyId: 'id', secretAccessKey: 'secret' }
	});
	const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: options.bucket, Key: 'sha256/ab/abc' }), {
		expiresIn: 60
	});
	return new URL(url).origin;
}

describe('securityHeadersFor', () => {
	it('gives every response nosniff and a referrer policy, JSON included', () => {
		const headers = securityHeadersFor(new Headers({ 'content-type': 'application/json' }), local);
		expect(headers).toStrictEqual({
			'x-content-type-options': 'nosniff',
			'referrer-policy': 'strict-origin-when-cross-origin'
		});
	});

	it('keeps a page’s own policy, and gives HTML without one the standalone policy', () => {
		const page = securityHeadersFor(new Headers({ 'content-type': 'text/html', 'content-security-policy': PAGE_CSP }), local);
		expect(page['content-security-policy']).toBeUndefined();
		expect(page['x-frame-options']).toBe('SAMEORIGIN');
		const bare = securityHeadersFor(new Headers({ 'content-type': 'text/html; charset=utf-8' }), local);
		expect(bare['content-security-policy']).toBe(STANDALONE_PAGE_CSP);
		expect(STANDALONE_PAGE_CSP).toContain("frame-ancestors 'self'");
		expect(STANDALONE_PAGE_CSP).toMatch(/script-src 'self'(;|$)/);
	});

	it('does not replace headers a response set itself', () => {
		const download = new Headers({
			'content-type': 'text/html',
			'content-security-policy': "default-src 'none'; sandbox",
			'x-content-type-options': 'nosniff',
			'referrer-policy': 'no-referrer'
		});
		expect(securityHeadersFor(download, local)).toStrictEqual({ 'x-frame-options': 'SAMEORIGIN' });
	});

	it('lets pages show images and media from the S3 bucket when files are there', () => {
		const headers = securityHeadersFor(new Headers({ 'content-type': 'text/html', 'content-security-policy': PAGE_CSP }), s3);
		const policy = headers['content-security-policy'];
		expect(policy).toContain("img-src 'self' data: blob: http://parley-files.127.0.0.1:9000 http://127.0.0.1:9000");
		expect(policy).toContain("media-src 'self' http://parley-files.127.0.0.1:9000 http://127.0.0.1:9000");
		expect(policy).toContain("script-src 'self' 'nonce-abc';");
	});
});

describe('imageSources', () => {
	it('adds the origins of CSP_IMG_SOURCES to the bucket’s', () => {
		const config = parseConfig({
			STORAGE_DRIVER: 's3',
			S3_BUCKET: 'parley-files',
			S3_ENDPOINT: 'http://127.0.0.1:9000',
			S3_FORCE_PATH_STYLE: 'true',
			CSP_IMG_SOURCES: 'https://images.shop.example, https://cdn.example:8443/'
		});
		expect(imageSources(config)).toStrictEqual(['http://127.0.0.1:9000', 'https://images.shop.example', 'https://cdn.example:8443']);
		const policy = securityHeadersFor(new Headers({ 'content-type': 'text/html', 'content-security-policy': PAGE_CSP }), config)[
			'content-security-policy'
		];
		expect(policy).toContain("img-src 'self' data: blob: http://127.0.0.1:9000 https://images.shop.example https://cdn.example:8443;");
	});

	it.each(['images.example.com', 'https://images.example.com/path', 'ftp://files.example', "'unsafe-inline'", 'https://a.example, *'])(
		'refuses CSP_IMG_SOURCES=%s, naming the variable',
		(value) => {
			expect(() => parseConfig({ CSP_IMG_SOURCES: value })).toThrow(/CSP_IMG_SOURCES: must be comma-separated http\(s\) origins/);
		}
	);
});

describe('fileLinkOrigins', () => {
	it('is empty with the local disk', () => {
		expect(fileLinkOrigins(local)).toStrictEqual([]);
	});

	it.each<Record<string, string>>([
		{ S3_BUCKET: 'parley-files', S3_REGION: 'eu-west-3' },
		{ S3_BUCKET: 'parley.files', S3_REGION: 'eu-west-3' },
		{ S3_BUCKET: 'parley-files', S3_FORCE_PATH_STYLE: 'true' },
		{ S3_BUCKET: 'parley-files', S3_ENDPOINT: 'http://127.0.0.1:9000' },
		{ S3_BUCKET: 'parley-files', S3_ENDPOINT: 'https://account.r2.cloudflarestorage.com', S3_REGION: 'auto' },
		{ S3_BUCKET: 'parley-files', S3_ENDPOINT: 'https://minio.example:9000', S3_FORCE_PATH_STYLE: 'true' }
	])('includes the origin of the links the SDK presigns for %o', async (env) => {
		expect(fileLinkOrigins(parseConfig({ STORAGE_DRIVER: 's3', ...env }))).toContain(await presignedOrigin(env));
	});
});

describe('addSources', () => {
	it('adds sources to the named directives once, leaving others and absent directives alone', () => {
		expect(
			addSources(
				"img-src 'self' https://a.example; script-src 'self'",
				['img-src', 'media-src'],
				['https://a.example', 'https://b.example']
			)
		).toBe("img-src 'self' https://a.example https://b.example; script-src 'self'");
		expect(addSources("default-src 'self'", ['img-src'], ['https://b.example'])).toBe("default-src 'self'");
	});
});
