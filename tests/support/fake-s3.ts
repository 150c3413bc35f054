import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver's server (a CommonJS package without types) that the tests use. */
interface S3rverServer {
	run(): Promise<{ address: string; port: number }>;
	close(): Promise<void>;
}
type S3rverConstructor = new (options: {
	address: string;
	port: number;
	silent: boolean;
	directory: string;
	configureBuckets: { name: string }[];
}) => S3rverServer;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** s3rver's built-in credentials. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** An S3-compatible server (s3rver) on the loopback interface, with one empty bucket. */
export interface FakeS3 {
	endpoint: string;
	bucket: string;
	/** The folder s3rver keeps its objects in. */
	directory: string;
	/** The `S3_*` environment that points Parley at this server. */
	env(prefix?: string): Record<string, string>;
	/** Stops the server and removes its folder. */
	stop(): Promise<void>;
}

/** Starts s3rver in this process on a free port, storing objects in a new temporary folder. */
export async function startFakeS3(bucket = 'parley-test'): Promise<FakeS3> {
	const directory = mkdtempSync(join(tmpdir(), 'parley-s3-'));
	const server = new S3rver({
		address: '127.0.0.1',
		port: 0,
		silent: true,
		directory,
		configureBuckets: [{ name: bucket }]
	});
	const { port } = await server.run();
	const endpoint = `http://127.0.0.1:${port}`;
	return {
		endpoint,
		bucket,
		directory,
		env: (prefix = '') => ({
			STORAGE_DRIVER: 's3',
			S3_BUCKET: bucket,
			S3_ENDPOINT: endpoint,
			S3_REGION: 'us-east-1',
			S3_FORCE_PATH_STYLE: 'true',
			S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
			S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
			...(prefix ? { S3_PREFIX: prefix } : {})
		}),
		async stop() {
			await server.close();
			rmSync(directory, { recursive: true, force: true });
		}
	};
}
