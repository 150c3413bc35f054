import { and, eq, inArray, ne } from 'drizzle-orm';
import { getConfig } from '../../config';
import type { Db } from '../../db';
import { files } from '../../db/schema';
import type { FileStorage } from '../storage';
import { canExtractText } from './extract-text';
import { extractionErrorMessage } from './extraction-error';
import { extractionLimitsOf } from './extraction-limits';
import type { ExtractionRequest } from './extraction-worker';
import { runExtractionWorker } from './run-extraction-worker';

/** The columns of a file row that extraction needs. */
export type ExtractableFile = Pick<typeof files.$inferSelect, 'id' | 'mimeType' | 'storageKey' | 'sha256'>;

/** Reads the text of one file; by default in a worker process ({@link runExtractionWorker}). */
export type Extract = (request: ExtractionRequest) => Promise<string | undefined>;

interface Job {
	db: Db;
	storage: FileStorage;
	file: ExtractableFile;
	done: () => void;
}

/** The extraction status a new file starts with: `pending` when its text can be read, else `none`. */
export function initialExtractionStatus(mediaType: string): 'pending' | 'none' {
	return canExtractText(mediaType) ? 'pending' : 'none';
}

/**
 * Reads the text of uploaded files in the background, a few at a time, and records it on their
 * rows: `pending` → `extracting` → `ready` (or `none` when there is no text, such as an image
 * without any, or `failed`, with a short reason in `extractionError` and the detail in the log). A
 * file whose bytes were read before (same SHA-256 and type) takes that text without reading
 * them again. Extraction is idempotent, so running a file twice only costs time.
 */
export class ExtractionQueue {
	private readonly waiting: Job[] = [];
	private readonly inProgress = new Map<string, Promise<void>>();
	private running = 0;
	private readonly concurrency: number;
	private readonly extract: Extract;

	constructor(options: { concurrency?: number; extract?: Extract } = {}) {
		this.concurrency = Math.max(1, options.concurrency ?? 2);
		this.extract =
			options.extract ?? ((request) => runExtractionWorker(request, { memoryLimitMb: getConfig().EXTRACTION_MEMORY_LIMIT_MB }));
	}

	/** Queues a file whose row is `pending`; a file already queued is not queued twice. */
	enqueue(db: Db, storage: FileStorage, file: ExtractableFile): void {
		if (this.inProgress.has(file.id)) return;
		let done!: () => void;
		this.inProgress.set(file.id, new Promise<void>((resolve) => (done = resolve)));
		this.waiting.push({ db, storage, file, done });
		this.next();
	}

	/**
	 * Waits until these files' extractions queued here have ended, or `timeoutMs` has passed,
	 * whichever comes first. Files not queued here are not waited for.
	 */
	async settled(ids: string[], timeoutMs: number): Promise<void> {
		const pending = ids.flatMap((id) => this.inProgress.get(id) ?? []);
		if (pending.length === 0) return;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const timeout = new Promise<void>((resolve) => {
			timer = setTimeout(resolve, timeoutMs);
			timer.unref?.();
		});
		await Promise.race([Promise.all(pending), timeout]);
		clearTimeout(timer);
	}

	/** Waits until nothing is queued or running. */
	async idle(): Promise<void> {
		while (this.inProgress.size > 0) await Promise.all(this.inProgress.values());
	}

	/**
	 * Queues again the files a stopped server left `pending` or `extracting` (their extraction was
	 * cut off with the process). Returns how many there were.
	 */
	async requeueUnfinished(db: Db, storage: FileStorage): Promise<number> {
		const rows = await db
			.update(files)
			.set({ extractionStatus: 'pending', updatedAt: new Date() })
			.where(inArray(files.extractionStatus, ['pending', 'extracting']))
			.returning({ id: files.id, mimeType: files.mimeType, storageKey: files.storageKey, sha256: files.sha256 });
		for (const row of rows) this.enqueue(db, storage, row);
		return rows.length;
	}

	private next(): void {
		while (this.running < this.concurrency && this.waiting.length > 0) {
			const job = this.waiting.shift()!;
			this.running++;
			void this.run(job).finally(() => {
				this.running--;
				this.inProgress.delete(job.file.id);
				job.done();
				this.next();
			});
		}
	}

	private async run({ db, storage, file }: Job): Promise<void> {
		const record = (values: Partial<typeof files.$inferInsert>) =>
			db
				.update(files)
				.set({ ...values, updatedAt: new Date() })
				.where(eq(files.id, file.id));
		try {
			await record({ extractionStatus: 'extracting', extractionError: null });
			const text = await this.textOf(db, storage, file);
			await record(
				text === undefined ? { extractionStatus: 'none', extractedText: null } : { extractionStatus: 'ready', extractedText: text }
			);
		} catch (error) {
			// The detail stays in the log: a parser's message is no business of the uploader's.
			const detail = error instanceof Error ? `${error.name}: ${error.message}` : error;
			console.error(`[parley] reading the text of file ${file.id} (${file.mimeType}) failed:`, detail);
			const extractionError = extractionErrorMessage(file.mimeType, error);
			await record({ extractionStatus: 'failed', extractedText: null, extractionError }).catch((recordError: unknown) =>
				console.error(`[parley] could not record the failed extraction of file ${file.id}:`, recordError)
			);
		}
	}

	/** The text of a file: copied from a file with the same bytes already read, else extracted. */
	private async textOf(db: Db, storage: FileStorage, file: ExtractableFile): Promise<string | undefined> {
		const [same] = await db
			.select({ text: files.extractedText })
			.from(files)
			.where(
				and(eq(files.sha256, file.sha256), eq(files.mimeType, file.mimeType), eq(files.extractionStatus, 'ready'), ne(files.id, file.id))
			)
			.limit(1);
		if (same?.text != null) return same.text;
		const bytes = await storage.get(file.storageKey);
		return this.extract({ bytes, mediaType: file.mimeType, limits: extractionLimitsOf(getConfig()) });
	}
}

let sharedQueue: ExtractionQueue | undefined;

/** The process's extraction queue: two files at a time, each in a worker process of its own. */
export function getExtractionQueue(): ExtractionQueue {
	sharedQueue ??= new ExtractionQueue();
	return sharedQueue;
}
