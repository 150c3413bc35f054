import { and, desc, eq } from 'drizzle-orm';
import { getConfig } from '../config';
import type { Db } from '../db';
import { agents, knowledgeSources, type KnowledgeSource, type KnowledgeSourceKind } from '../db/schema';
import { AppError } from '../errors';
import { canExtractText } from '../files/extract/extract-text';
import type { FileRecord } from '../files/file-records';
import { newId } from '../ids';
import { resolveEmbedder, type Embedder } from './embedder';
import { hybridSearch, type HybridSearchResult, type SearchScope, type SearchWeights } from './hybrid-search';
import { catalogueFormatOf, KnowledgeIndexer, sourceOfAgent } from './indexer';

let sharedEmbedder: Embedder | undefined;

/** The process's embedder, from `EMBEDDING_MODEL` (see {@link resolveEmbedder}). */
export function getEmbedder(): Embedder {
	sharedEmbedder ??= resolveEmbedder(getConfig());
	return sharedEmbedder;
}

let sharedIndexer: KnowledgeIndexer | undefined;

/** The process's knowledge indexer, with the process's embedder. */
export function getKnowledgeIndexer(): KnowledgeIndexer {
	sharedIndexer ??= new KnowledgeIndexer({ embedder: getEmbedder });
	return sharedIndexer;
}

/** A knowledge source as the admin pages and APIs show it. */
export type KnowledgeSourceView = Pick<
	KnowledgeSource,
	'id' | 'agentId' | 'fileId' | 'kind' | 'name' | 'status' | 'error' | 'chunkCount' | 'createdAt' | 'updatedAt'
>;

async function assertAgent(db: Db, agentId: number): Promise<void> {
	const [agent] = await db.select({ id: agents.id }).from(agents).where(eq(agents.id, agentId));
	if (!agent) throw new AppError('not_found', 'No agent has this id.', { field: 'agentId' });
}

/**
 * Checks that a stored file can be a source of this kind: a catalogue is CSV or JSON, a document
 * a type whose text Parley reads. Refuses (415) naming the file's type.
 */
export function assertSourceType(file: Pick<FileRecord, 'name' | 'mimeType'>, kind: KnowledgeSourceKind): void {
	if (kind === 'catalogue' && !catalogueFormatOf(file.mimeType)) {
		throw new AppError('unsupported_media_type', `"${file.name}" is ${file.mimeType}; a catalogue must be a CSV or JSON file.`, {
			field: 'file'
		});
	}
	if (kind === 'document' && !canExtractText(file.mimeType)) {
		throw new AppError('unsupported_media_type', `Parley cannot read the text of "${file.name}" (${file.mimeType}).`, {
			field: 'file'
		});
	}
}

/**
 * Gives an agent a stored file as knowledge: a document (its text, in chunks) or a catalogue
 * (its rows, one chunk each). The source is recorded `pending` and indexed in the background.
 */
export async function addKnowledgeSource(
	db: Db,
	input: { agentId: number; file: Pick<FileRecord, 'id' | 'name' | 'mimeType'>; kind: KnowledgeSourceKind },
	options: { indexer?: KnowledgeIndexer } = {}
): Promise<KnowledgeSourceView> {
	await assertAgent(db, input.agentId);
	assertSourceType(input.file, input.kind);
	const [source] = await db
		.insert(knowledgeSources)
		.values({ id: newId(), agentId: input.agentId, fileId: input.file.id, kind: input.kind, name: input.file.name })
		.returning();
	(options.indexer ?? getKnowledgeIndexer()).enqueue(db, source.id);
	return source;
}

/** An agent's knowledge sources, newest first. */
export async function listKnowledgeSources(db: Db, agentId: number): Promise<KnowledgeSourceView[]> {
	return db
		.select()
		.from(knowledgeSources)
		.where(eq(knowledgeSources.agentId, agentId))
		.orderBy(desc(knowledgeSources.createdAt), desc(knowledgeSources.id));
}

/** Removes a source with its chunks and vectors (404 when the agent has no such source). */
export async function deleteKnowledgeSource(db: Db, agentId: number, sourceId: string): Promise<void> {
	const source = await sourceOfAgent(db, agentId, sourceId);
	if (!source) throw new AppError('not_found', 'This agent has no such knowledge source.', { field: 'sourceId' });
	await db.delete(knowledgeSources).where(and(eq(knowledgeSources.id, sourceId), eq(knowledgeSources.agentId, agentId)));
}

/** Indexes a source again (after a failure, or to pick up a changed chunking). */
export async function reindexKnowledgeSource(
	db: Db,
	agentId: number,
	sourceId: string,
	options: { indexer?: KnowledgeIndexer } = {}
): Promise<void> {
	const source = await sourceOfAgent(db, agentId, sourceId);
	if (!source) throw new AppError('not_found', 'This agent has no such knowledge source.', { field: 'sourceId' });
	await db.update(knowledgeSources).set({ status: 'pending', error: null, updatedAt: new Date() }).where(eq(knowledgeSources.id, sourceId));
	(options.indexer ?? getKnowledgeIndexer()).enqueue(db, sourceId);
}

/** Searches an agent's knowledge with the process's embedder (see {@link hybridSearch}). */
export function searchKnowledge(
	db: Db,
	input: { agentId: number; query: string; limit?: number; weights?: SearchWeights; scope?: SearchScope; signal?: AbortSignal },
	options: { embedder?: Embedder } = {}
): Promise<HybridSearchResult> {
	return hybridSearch(db, {
		...input,
		limit: input.limit ?? 5,
		embedder: options.embedder ?? getEmbedder()
	});
}
