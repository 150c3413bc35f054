import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { getConfig, type Config } from '../config';
import { AppError } from '../errors';

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
}

/** The SHA-256 of bytes, in hex. */
export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

const storageKeyPattern = /^sha256\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

/** The error for a key whose bytes are missing (or a key that cannot be ours). */
function missingContent(): AppError {
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
		if (!storageKeyPattern.test(storageKey)) throw missingContent();
		return join(this.root, storageKey);
	}

	async put(bytes: Uint8Array): Promise<string> {
		const hash = sha256Hex(bytes);
		const storageKey = `sha256/${hash.slice(0, 2)}/${hash}`;
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

let sharedStorage: FileStorage | undefined;

/** The process's file storage, on the local disk (see {@link uploadsDirOf}). */
export function getFileStorage(): FileStorage {
	sharedStorage ??= new LocalFileStorage(uploadsDirOf(getConfig()));
	return sharedStorage;
}
