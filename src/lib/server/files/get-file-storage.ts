import { getConfig, type Config } from '../config';
import { LocalFileStorage, uploadsDirOf } from './local-storage';
import type { FileStorage, SignedUrlOptions } from './storage';

/**
 * The driver a configuration asks for (`STORAGE_DRIVER`), and the process's storage.
 */

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
