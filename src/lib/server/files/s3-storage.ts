import {
	DeleteObjectCommand,
	GetObjectCommand,
	HeadObjectCommand,
	PutObjectCommand,
	S3Client,
	type S3ClientConfig
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../config';
import { AppError } from '../errors';
import { contentDisposition } from './file-names';
import {
	assertLinkLifetime,
	isStorageKey,
	linkDisposition,
	missingContent,
	storageKeyOf,
	type FileStorage,
	type SignedUrlOptions
} from './storage';

/** Where and how the S3 driver reaches its bucket. */
export interface S3StorageOptions {
	bucket: string;
	region: string;
	/** An S3-compatible server (MinIO, Cloudflare R2, …) instead of AWS. */
	endpoint?: string;
	/** Static credentials; the AWS SDK's default credential chain when absent. */
	credentials?: { accessKeyId: string; secretAccessKey: string };
	/** Path-style addresses (`endpoint/bucket/key`) instead of virtual-hosted ones (`bucket.endpoint/key`). */
	forcePathStyle?: boolean;
	/** A folder inside the bucket that every key is placed under, e.g. `parley/`. */
	prefix?: string;
}

/** The S3 options of a configuration (`S3_*`); `S3_BUCKET` is required with `STORAGE_DRIVER=s3`. */
export function s3OptionsOf(config: Config): S3StorageOptions {
	if (!config.S3_BUCKET) throw new AppError('internal', 'S3_BUCKET must be set when STORAGE_DRIVER is s3.');
	const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
	return {
		bucket: config.S3_BUCKET,
		region: config.S3_REGION,
		endpoint: config.S3_ENDPOINT,
		credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
		forcePathStyle: config.S3_FORCE_PATH_STYLE,
		prefix: config.S3_PREFIX
	};
}

/** A key prefix as a folder: no leading slash, one trailing slash, or nothing at all. */
export function normalizePrefix(prefix: string | undefined): string {
	const trimmed = (prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
	return trimmed === '' ? '' : `${trimmed}/`;
}

/** The AWS SDK client for some options. */
function clientOf(options: S3StorageOptions): S3Client {
	const config: S3ClientConfig = {
		region: options.region,
		endpoint: options.endpoint,
		forcePathStyle: options.forcePathStyle ?? false,
		// A copy: the SDK marks the credentials object it is given.
		credentials: options.credentials && { ...options.credentials }
	};
	if (options.endpoint) {
		// Many S3-compatible servers do not yet understand the checksum headers the SDK now adds
		// to every upload by default; send them only where S3 requires them.
		config.requestChecksumCalculation = 'WHEN_REQUIRED';
		config.responseChecksumValidation = 'WHEN_REQUIRED';
	}
	return new S3Client(config);
}

/** Whether an SDK error says the object is not there (HEAD answers a bare 404 `NotFound`). */
function isMissingObject(error: unknown): boolean {
	return error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');
}

/**
 * Files in an S3-compatible bucket, under the same content-addressed keys as on disk
 * (`sha256/ab/abcd…`, below an optional prefix). Storing bytes that are already there with the
 * same size is skipped; links are presigned GetObject URLs that set the type and name.
 */
export class S3FileStorage implements FileStorage {
	readonly bucket: string;
	readonly prefix: string;
	private readonly client: S3Client;

	constructor(options: S3StorageOptions, client: S3Client = clientOf(options)) {
		this.bucket = options.bucket;
		this.prefix = normalizePrefix(options.prefix);
		this.client = client;
	}

	/** The object key of a storage key; a key that cannot be ours is reported missing. */
	objectKey(storageKey: string): string {
		if (!isStorageKey(storageKey)) throw missingContent();
		return `${this.prefix}${storageKey}`;
	}

	async put(bytes: Uint8Array): Promise<string> {
		const storageKey = storageKeyOf(bytes);
		const Key = this.objectKey(storageKey);
		if ((await this.sizeOf(Key)) === bytes.byteLength) return storageKey;
		await this.client.send(
			new PutObjectCommand({
				Bucket: this.bucket,
				Key,
				Body: bytes,
				ContentLength: bytes.byteLength,
				ContentType: 'application/octet-stream'
			})
		);
		return storageKey;
	}

	async get(storageKey: string): Promise<Uint8Array> {
		return (await this.body(storageKey)).transformToByteArray();
	}

	async stream(storageKey: string): Promise<ReadableStream<Uint8Array>> {
		return (await this.body(storageKey)).transformToWebStream() as ReadableStream<Uint8Array>;
	}

	async delete(storageKey: string): Promise<void> {
		try {
			await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(storageKey) }));
		} catch (error) {
			if (!isMissingObject(error)) throw error;
		}
	}

	/** A presigned GetObject URL whose response carries the type, the name and a private cache lifetime. */
	async signedUrl(storageKey: string, options: SignedUrlOptions): Promise<string> {
		assertLinkLifetime(options.expiresInSeconds);
		const command = new GetObjectCommand({
			Bucket: this.bucket,
			Key: this.objectKey(storageKey),
			ResponseContentType: options.mediaType,
			ResponseContentDisposition: contentDisposition(options.fileName, linkDisposition(options.mediaType, options.disposition)),
			ResponseCacheControl: `private, max-age=${options.expiresInSeconds}`
		});
		return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
	}

	/** The size of an object, or undefined when there is none. */
	private async sizeOf(Key: string): Promise<number | undefined> {
		try {
			const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
			return head.ContentLength;
		} catch (error) {
			if (isMissingObject(error)) return undefined;
			throw error;
		}
	}

	/** The body of the object under a storage key; `not_found` when there is none. */
	private async body(storageKey: string) {
		try {
			const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(storageKey) }));
			if (!object.Body) throw missingContent();
			return object.Body;
		} catch (error) {
			if (isMissingObject(error)) throw missingContent();
			throw error;
		}
	}
}
