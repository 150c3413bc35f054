import type { Db } from '../db';
import { getFileStorage } from './get-file-storage';
import type { FileStorage } from './storage';

/** How long a signed link works unless asked otherwise: one hour. */
export const DEFAULT_SIGNED_URL_SECONDS = 60 * 60;

/** The columns of a file row a signed link needs. */
export interface SignableFile {
	storageKey: string;
	name: string;
	mimeType: string;
}

/**
 * A time-limited link to a stored file that needs no sign-in: root-relative
 * (`/api/files/signed/…`) with the local disk, an absolute presigned URL with S3. A raster image
 * is shown in the browser, anything else is downloaded under its name (`disposition` may ask for
 * a download of an image too). `db` holds the secret of the local links.
 */
export function signedFileUrl(
	db: Db,
	file: SignableFile,
	options: { expiresInSeconds?: number; disposition?: 'inline' | 'attachment'; storage?: FileStorage } = {}
): Promise<string> {
	return (options.storage ?? getFileStorage()).signedUrl(file.storageKey, {
		expiresInSeconds: options.expiresInSeconds ?? DEFAULT_SIGNED_URL_SECONDS,
		fileName: file.name,
		mediaType: file.mimeType,
		disposition: options.disposition ?? 'inline',
		db
	});
}
