import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { getConfig, type Config } from '../config';
import { getDb, type Db } from '../db';
import { AppError } from '../errors';
import { fileUrlSecret, nowInSeconds, signFileLink, SIGNED_FILE_PATH } from './file-links';

/**
 * Where file contents live. Keys are opaque to callers; the same bytes always get the same key
 * (content addressing), so one stored copy can back many file rows.
 */
export interface FileStorage {
	/** Stores bytes and returns their key; storing the same bytes again is a no-op. */
	put(bytes: Uint8Array): Promise<string>;
	/** The bytes under a key; `not_found` when they are gone. */
	get(storageKey: string): Promise<Uint8Array>;
	/** The bytes under a key as a stream, for downloads; `not_found` when they are gone. */
	stream(storageKey: string): Promise<ReadableStream<Uint8Array>>;
	/** Removes the bytes under a key; nothing happens when they are already gone. */
	delete(storageKey: string): Promise<void>;
	/**
	 * A time-limited link that downloads the bytes under a key with the given type and name, to
	 * anyone who has it: Parley's own `/api/files/signed/…` for the disk, a presigned GetObject
	 * URL for S3. Only raster images are ever shown inline (see {@link linkDisposition}).
	 */
	signedUrl(storageKey: string, options: SignedUrlOptions): Promise<string>;
}

/** What a signed link serves, and for how long. */
export interface SignedUrlOptions {
	/** How long the link works, in seconds: 1 to {@link MAX_LINK_SECONDS}. */
	expiresInSeconds: number;
	/** The name the download gets. */
	fileName: string;
	/** The `content-type` the download gets. */
	mediaType: string;
	/** Shown in the browser or saved; anything but a raster image is always saved. */
	disposition: 'inline' | 'attachment';
	/** The database holding the secret of Parley's own links (the disk); the process's by default. */
	db?: Db;
}

/** The longest a signed link may work: seven days, as for S3's presigned URLs. */
export const MAX_LINK_SECONDS = 7 * 24 * 60 * 60;

/** Raster images, which a browser shows without running anything; every other type is downloaded. */
const SHOWN_INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/**
 * How a signed link serves a file: `inline` only when asked and the type is a raster image, so
 * that no link ever renders HTML, SVG or anything else that could run script.
 */
export function linkDisposition(mediaType: string, asked: 'inline' | 'attachment'): 'inline' | 'attachment' {
	return asked === 'inline' && SHOWN_INLINE.has(mediaType.toLowerCase()) ? 'inline' : 'attachment';
}

/** Checks a signed link's lifetime: a whole number of seconds from 1 to {@link MAX_LINK_SECONDS}. */
export function assertLinkLifetime(expiresInSeconds: number): void {
	if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_LINK_SECONDS) {
		throw new AppError('invalid_input', `A signed link lasts from 1 to ${MAX_LINK_SECONDS} whole seconds.`, {
			field: 'expiresInSeconds'
		});
	}
}

/** The SHA-256 of bytes, in hex. */
export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

const storageKeyPattern = /^sha256\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

/** The key of some bytes: `sha256/` and the first two hex digits of their SHA-256, then all of it. */
export function storageKeyOf(bytes: Uint8Array): string {
	const hash = sha256Hex(bytes);
	return `sha256/${hash.slice(0, 2)}/${hash}`;
}

/** Whether a string has the shape of a storage key (see {@link storageKeyOf}). */
export function isStorageKey(value: string): boolean {
	return storageKeyPattern.test(value);
}

/** The error for a key whose bytes are missing (or a key that cannot be ours). */
export function missingContent(): AppError {
	return new AppError('not_found', 'The content of this file is no longer stored.', { field: 'id' });
}

/**
 * Files on the local disk, content-addressed: the key `sha256/ab/abcd…` is the file's path below
 * the root folder. Writes go to a temporary file first and are renamed into place, so a reader
 * never sees half a file.
 */
export class LocalFileStorage implements FileStorage {
	constructor(readonly root: string) {}

	private pathOf(storageKey: string): string {
		// Keys come from our own rows, but a path must never leave the root whatever it holds.
		if (!isStorageKey(storageKey)) throw missingContent();
		return join(this.root, storageKey);
	}

	async put(bytes: Uint8Array): Promise<string> {
		const storageKey = storageKeyOf(bytes);
		const path = this.pathOf(storageKey);
		const existing = await stat(path).catch(() => undefined);
		if (existing?.isFile() && existing.size === bytes.byteLength) return storageKey;
		await mkdir(dirname(path), { recursive: true });
		const temporary = `${path}.${randomUUID()}.tmp`;
		try {
			await writeFile(temporary, bytes);
			await rename(temporary, path);
		} catch (error) {
			await rm(temporary, { force: true });
			throw error;
		}
		return storageKey;
	}

	async get(storageKey: string): Promise<Uint8Array> {
		try {
			return new Uint8Array(await readFile(this.pathOf(storageKey)));
		} catch (error) {
			if (error instanceof AppError || isMissing(error)) throw missingContent();
			throw error;
		}
	}

	async stream(storageKey: string): Promise<ReadableStream<Uint8Array>> {
		const path = this.pathOf(storageKey);
		const found = await stat(path).catch(() => undefined);
		if (!found?.isFile()) throw missingContent();
		return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
	}

	async delete(storageKey: string): Promise<void> {
		try {
			await unlink(this.pathOf(storageKey));
		} catch (error) {
			if (!isMissing(error)) throw error;
		}
	}

	/**
	 * A root-relative link `/api/files/signed/<token>`, the token signed with the installation's
	 * link secret (see {@link fileUrlSecret}); the link works in any process sharing the database.
	 */
	async signedUrl(storageKey: string, options: SignedUrlOptions): Promise<string> {
		this.pathOf(storageKey);
		assertLinkLifetime(options.expiresInSeconds);
		const secret = await fileUrlSecret(options.db ?? (await getDb()));
		const token = signFileLink(secret, {
			storageKey,
			mediaType: options.mediaType,
			fileName: options.fileName,
			disposition: linkDisposition(options.mediaType, options.disposition),
			expiresAt: nowInSeconds() + options.expiresInSeconds
		});
		return `${SIGNED_FILE_PATH}${token}`;
	}
}

function isMissing(error: unknown): boolean {
	return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/**
 * The uploads folder: `UPLOADS_DIR` when set, else `uploads` beside a `file:` database
 * (`file:data/parley.db` → `data/uploads`), else `data/uploads` under the working directory.
 */
export function uploadsDirOf(config: Pick<Config, 'DATABASE_URL' | 'UPLOADS_DIR'>): string {
	if (config.UPLOADS_DIR) return resolve(config.UPLOADS_DIR);
	const url = config.DATABASE_URL;
	if (url.startsWith('file:')) {
		const path = url.slice('file:'.length).split('?')[0];
		if (path && path !== ':memory:') return join(dirname(isAbsolute(path) ? path : resolve(path)), 'uploads');
	}
	return resolve('data', 'uploads');
}

/**
 * A storage whose driver module is loaded on first use, so that the AWS SDK is only loaded by
 * installations that store files in S3.
 */
class LazyFileStorage implements FileStorage {
	private driver: Promise<FileStorage> | undefined;

	constructor(private readonly load: () => Promise<FileStorage>) {}

	private async storage(): Promise<FileStorage> {
		if (!this.driver) {
			this.driver = this.load();
			// A failed load is not remembered: the next call tries again.
			this.driver.catch(() => (this.driver = undefined));
		}
		return this.driver;
	}

	async put(bytes: Uint8Array): Promise<string> {
		return (await this.storage()).put(bytes);
	}

	async get(storageKey: string): Promise<Uint8Array> {
		return (await this.storage()).get(storageKey);
	}

	async stream(storageKey: string): Promise<ReadableStream<Uint8Array>> {
		return (await this.storage()).stream(storageKey);
	}

	async delete(storageKey: string): Promise<void> {
		return (await this.storage()).delete(storageKey);
	}

	async signedUrl(storageKey: string, options: SignedUrlOptions): Promise<string> {
		return (await this.storage()).signedUrl(storageKey, options);
	}
}

/**
 * The storage a configuration asks for: an S3-compatible bucket with `STORAGE_DRIVER=s3` (see
 * `s3-storage.ts`), else the uploads folder on the local disk (see {@link uploadsDirOf}).
 */
export function createFileStorage(config: Config): FileStorage {
	if (config.STORAGE_DRIVER === 's3') {
		return new LazyFileStorage(async () => {
			const { S3FileStorage, s3OptionsOf } = await import('./s3-storage');
			return new S3FileStorage(s3OptionsOf(config));
		});
	}
	return new LocalFileStorage(uploadsDirOf(config));
}

let sharedStorage: FileStorage | undefined;

/** The process's file storage, as the configuration asks (see {@link createFileStorage}). */
export function getFileStorage(): FileStorage {
	sharedStorage ??= createFileStorage(getConfig());
	return sharedStorage;
}
