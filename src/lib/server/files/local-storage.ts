import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Config } from '../config';
import { getDb } from '../db';
import { AppError } from '../errors';
import { fileUrlSecret, nowInSeconds, signFileLink, SIGNED_FILE_PATH } from './file-links';
import {
	assertLinkLifetime,
	isStorageKey,
	linkDisposition,
	missingContent,
	storageKeyOf,
	type FileStorage,
	type SignedUrlOptions
} from './storage';

/**
 * The disk driver: uploads as files below one folder, by their content's SHA-256.
 */

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
