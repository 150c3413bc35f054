import { createHash } from 'node:crypto';
import type { Db } from '../db';
import { AppError } from '../errors';

/**
 * What every storage driver implements (the disk in `local-storage.ts`, S3 in `s3-storage.ts`), and
 * the rules they share: content-addressed keys and what a signed link may serve.
 */

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
