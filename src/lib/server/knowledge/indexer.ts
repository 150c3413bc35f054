import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { files, knowledgeChunks, knowledgeSources, type KnowledgeSource, type ProductFields } from '../db/schema';
import { AppError } from '../errors';
import { getExtractionQueue, type ExtractionQueue } from '../files/extract/extraction-queue';
import { getFileStorage } from '../files/get-file-storage';
import type { FileStorage } from '../files/storage';
import { catalogueRowText, parseCatalogue, type CatalogueRow } from './catalogue';
import { chunkText } from './chunk-text';
import { describeModelError, isModelCallError } from '../runtime/describe-model-error';
import type { Embedder } from './embedder';
import { chunksWithoutVectors, dropOtherSpaces, ensureSpace, findSpace, storeVectors } from './vector-store';

/** Texts embedded per call to the embedding model. */
const EMBED_BATCH = 128;

/**
 * Vectors written per statement batch. Each insert updates the vector index (about 2 ms a row at
 * 100,000 rows), and a local database blocks the event loop while it works: small batches with
 * a pause between them keep the server answering while a large source is embedded.
 */
const VECTOR_WRITE_BATCH = 16;

/** Chunks written per statement batch. */
const INSERT_BATCH = 500;

/** How long indexing waits for a document's text to be read. */
const EXTRACTION_WAIT_MS = 10 * 60_000;

/** A chunk ready to be stored. */
interface NewChunk {
	text: string;
	product: ProductFields | null;
}

/** A stored file's id in a catalogue's `image` column (`/api/files/{id}` or the bare id). */
function imageFileIdOf(reference: string | null): string | null {
	if (!reference) return null;
	const match = /^(?:\/api\/files\/)?([A-Za-z0-9_-]{8,64})$/.exec(reference.trim());
	return match ? match[1] : null;
}

/** The products of a catalogue, with the pictures it names that are stored. */
async function catalogueChunks(db: Db, rows: CatalogueRow[]): Promise<NewChunk[]> {
	const imageIds = [...new Set(rows.map((row) => imageFileIdOf(row.image)).filter((id): id is string => id !== null))];
	const stored = new Set<string>();
	for (let start = 0; start < imageIds.length; start += INSERT_BATCH) {
		const found = await db
			.select({ id: files.id })
			.from(files)
			.where(inArray(files.id, imageIds.slice(start, start + INSERT_BATCH)));
		for (const row of found) stored.add(row.id);
	}
	return rows.map((row) => {
		const imageFileId = imageFileIdOf(row.image);
		return {
			text: catalogueRowText(row),
			product: { ...row.product, ...(imageFileId && stored.has(imageFileId) ? { imageFileId } : {}) }
		};
	});
}

/** Whether a media type is a catalogue format, and which. */
export function catalogueFormatOf(mediaType: string): 'csv' | 'json' | undefined {
	if (mediaType === 'text/csv') return 'csv';
	if (mediaType === 'application/json') return 'json';
	return undefined;
}

/**
 * Turns knowledge sources into searchable chunks, one source at a time in the background: a
 * document's extracted text is cut into overlapping chunks, a catalogue's rows become one chunk
 * each. Chunks are found by their words at once, and by meaning once the embedder has given them
 * vectors (in the vector table of its model; when the model changes, every chunk is embedded
 * again into the new model's table and the old table is dropped).
 */
export class KnowledgeIndexer {
	private readonly waiting: { db: Db; sourceId: string }[] = [];
	private readonly queued = new Set<string>();
	private running: Promise<void> | undefined;
	private embedding: Promise<void> | undefined;
	private embedAgain = false;

	constructor(
		private readonly options: {
			embedder: () => Embedder;
			storage?: () => FileStorage;
			extraction?: () => ExtractionQueue;
		}
	) {}

	/** Queues a source to be (re)indexed; a source already waiting is not queued twice. */
	enqueue(db: Db, sourceId: string): void {
		if (this.queued.has(sourceId)) return;
		this.queued.add(sourceId);
		this.waiting.push({ db, sourceId });
		this.running ??= this.drain().finally(() => (this.running = undefined));
	}

	/** Waits until every queued source is indexed and every chunk has its vector (or embedding failed). */
	async idle(): Promise<void> {
		while (this.running || this.embedding) {
			await this.running;
			await this.embedding;
		}
	}

	/**
	 * At start-up: queues the sources a stopped server left unfinished, and embeds the chunks the
	 * current embedding model has no vector for (all of them after a change of model).
	 */
	async resume(db: Db): Promise<number> {
		const unfinished = await db
			.select({ id: knowledgeSources.id })
			.from(knowledgeSources)
			.where(inArray(knowledgeSources.status, ['pending', 'indexing']));
		for (const source of unfinished) this.enqueue(db, source.id);
		if (unfinished.length === 0) this.embedPending(db);
		return unfinished.length;
	}

	private async drain(): Promise<void> {
		let last: Db | undefined;
		while (this.waiting.length > 0) {
			const { db, sourceId } = this.waiting.shift()!;
			this.queued.delete(sourceId);
			await this.index(db, sourceId);
			last = db;
		}
		if (last) this.embedPending(last);
	}

	/** Indexes one source, recording `ready` with its chunk count, or `failed` with the reason. */
	private async index(db: Db, sourceId: string): Promise<void> {
		const record = (values: Partial<KnowledgeSource>) =>
			db
				.update(knowledgeSources)
				.set({ ...values, updatedAt: new Date() })
				.where(eq(knowledgeSources.id, sourceId));
		try {
			const [source] = await db.select().from(knowledgeSources).where(eq(knowledgeSources.id, sourceId));
			if (!source) return;
			await record({ status: 'indexing', error: null });
			const chunks = await this.chunksOf(db, source);
			await this.replaceChunks(db, source, chunks);
			await record({ status: 'ready', chunkCount: chunks.length, error: null });
		} catch (error) {
			const reason = error instanceof AppError ? error.message : 'The source could not be read.';
			if (!(error instanceof AppError)) console.error(`[parley] indexing knowledge source ${sourceId} failed:`, error);
			await record({ status: 'failed', error: reason }).catch((recordError: unknown) =>
				console.error(`[parley] could not record the failed indexing of ${sourceId}:`, recordError)
			);
		}
	}

	/** The chunks of a source, read from its file. */
	private async chunksOf(db: Db, source: KnowledgeSource): Promise<NewChunk[]> {
		if (!source.fileId) throw new AppError('not_found', 'The file of this source is no longer stored.');
		let [file] = await db.select().from(files).where(eq(files.id, source.fileId));
		if (!file) throw new AppError('not_found', 'The file of this source is no longer stored.');
		if (source.kind === 'catalogue') {
			const format = catalogueFormatOf(file.mimeType);
			if (!format) throw new AppError('unsupported_media_type', 'A catalogue must be a CSV or JSON file.');
			const bytes = await (this.options.storage?.() ?? getFileStorage()).get(file.storageKey);
			return catalogueChunks(db, parseCatalogue(new TextDecoder().decode(bytes), format));
		}
		if (file.extractionStatus === 'pending' || file.extractionStatus === 'extracting') {
			const extraction = this.options.extraction?.() ?? getExtractionQueue();
			extraction.enqueue(db, this.options.storage?.() ?? getFileStorage(), file);
			await extraction.settled([file.id], EXTRACTION_WAIT_MS);
			[file] = await db.select().from(files).where(eq(files.id, file.id));
		}
		if (file?.extractionStatus !== 'ready' || !file.extractedText?.trim()) {
			throw new AppError('unprocessable', file?.extractionError ?? 'No text could be read from this file.');
		}
		return chunkText(file.extractedText).map((text) => ({ text, product: null }));
	}

	/** Replaces a source's chunks in one transaction (search never sees half a source). */
	private async replaceChunks(db: Db, source: KnowledgeSource, chunks: NewChunk[]): Promise<void> {
		await db.transaction(async (tx) => {
			await tx.delete(knowledgeChunks).where(eq(knowledgeChunks.sourceId, source.id));
			for (let start = 0; start < chunks.length; start += INSERT_BATCH) {
				await tx.insert(knowledgeChunks).values(
					chunks.slice(start, start + INSERT_BATCH).map((chunk, index) => ({
						sourceId: source.id,
						agentId: source.agentId,
						position: start + index,
						text: chunk.text,
						product: chunk.product
					}))
				);
			}
		});
	}

	/** Starts embedding the chunks without a vector, unless that is already going on (then once more after). */
	embedPending(db: Db): void {
		if (this.embedding) {
			this.embedAgain = true;
			return;
		}
		this.embedding = (async () => {
			do {
				this.embedAgain = false;
				const embedder = this.options.embedder();
				try {
					await embedMissingChunks(db, embedder);
				} catch (error) {
					const why = 'they are found by their words only until the next try';
					// A provider's refusal is one line: its error would print the request, chunks and all.
					if (isModelCallError(error)) {
						console.error(
							`[parley] embedding knowledge chunks with ${embedder.id} failed (${describeModelError(error, embedder.id)}); ${why}.`
						);
					} else {
						console.error(`[parley] embedding knowledge chunks failed; ${why}:`, error);
					}
				}
			} while (this.embedAgain);
		})().finally(() => (this.embedding = undefined));
	}
}

/**
 * Embeds every chunk that has no vector in the embedder's space, in batches, creating the space
 * from the first batch's dimensions. When all are embedded, the spaces of other models go.
 * Returns how many chunks were embedded.
 */
export async function embedMissingChunks(db: Db, embedder: Embedder, signal?: AbortSignal): Promise<number> {
	let space = await findSpace(db, embedder.id);
	let embedded = 0;
	for (;;) {
		signal?.throwIfAborted();
		const batch = space
			? await chunksWithoutVectors(db, space, EMBED_BATCH)
			: await db
					.select({ id: knowledgeChunks.id, agentId: knowledgeChunks.agentId, text: knowledgeChunks.text })
					.from(knowledgeChunks)
					.orderBy(knowledgeChunks.id)
					.limit(EMBED_BATCH);
		if (batch.length === 0) break;
		const vectors = await embedder.embed(
			batch.map((chunk) => chunk.text),
			signal
		);
		if (vectors.length !== batch.length)
			throw new Error(`The embedding model "${embedder.id}" returned ${vectors.length} vectors for ${batch.length} texts.`);
		// A first batch makes the space; a model whose vectors changed length starts a new one.
		if (space?.dimensions !== vectors[0].length) space = await ensureSpace(db, embedder.id, vectors[0].length);
		const rows = batch.map((chunk, index) => ({ chunkId: chunk.id, agentId: chunk.agentId, vector: vectors[index] }));
		for (let start = 0; start < rows.length; start += VECTOR_WRITE_BATCH) {
			await storeVectors(db, space, rows.slice(start, start + VECTOR_WRITE_BATCH));
			// A local database works on this thread: let requests in between writes.
			await new Promise((resolve) => setImmediate(resolve));
		}
		embedded += batch.length;
	}
	await dropOtherSpaces(db, embedder.id);
	return embedded;
}

/** Whether a source belongs to an agent. */
export async function sourceOfAgent(db: Db, agentId: number, sourceId: string): Promise<KnowledgeSource | undefined> {
	const [source] = await db
		.select()
		.from(knowledgeSources)
		.where(and(eq(knowledgeSources.id, sourceId), eq(knowledgeSources.agentId, agentId)));
	return source;
}
