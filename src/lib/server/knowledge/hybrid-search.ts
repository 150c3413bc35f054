import { inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { knowledgeChunks, knowledgeSources, type ProductFields } from '../db/schema';
import type { Embedder } from './embedder';
import { wordsOf } from './lexical-embedding';
import { findSpace, vectorBlob, type EmbeddingSpace } from './vector-store';

/** How much each side counts in the fused ranking. */
export interface SearchWeights {
	text: number;
	vector: number;
}

/** Both sides count the same unless a tool or a caller says otherwise. */
export const DEFAULT_WEIGHTS: SearchWeights = { text: 0.5, vector: 0.5 };

/** The rank constant of reciprocal rank fusion (60, as in the original paper and most engines). */
export const RRF_K = 60;

/** Which chunks a search looks at. */
export type SearchScope = 'all' | 'products' | 'documents';

export interface HybridSearchInput {
	agentId: number;
	query: string;
	limit: number;
	weights?: SearchWeights;
	scope?: SearchScope;
	embedder: Embedder;
	signal?: AbortSignal;
	/** Up to this many vectors an agent is searched exactly, past it through the index ({@link EXACT_SEARCH_LIMIT}). */
	exactLimit?: number;
	/** Words in more chunks than this are not ranked by ({@link COMMON_TERM_CHUNKS}). */
	commonTermChunks?: number;
}

/** One result: the chunk, its source, and how it ranked. */
export interface HybridHit {
	chunkId: number;
	text: string;
	position: number;
	product: ProductFields | null;
	source: { id: string; name: string; kind: 'document' | 'catalogue'; fileId: string | null };
	scores: {
		/** The fused score: the sum over both sides of weight / (60 + rank). */
		hybrid: number;
		/** 1-based rank in the BM25 (words) list, or null when the words did not match. */
		textRank: number | null;
		/** 1-based rank in the vector list, or null when it was not among the nearest. */
		vectorRank: number | null;
		/** Cosine similarity to the query, when the vector side found it. */
		similarity: number | null;
	};
}

export interface HybridSearchResult {
	hits: HybridHit[];
	weights: SearchWeights;
	/** `hybrid`, or `text`/`vector` when only one side could run (no vectors yet, no words). */
	searchType: 'hybrid' | 'text' | 'vector';
}

/** An agent with more vectors than this is searched through the ANN index, else exactly. */
export const EXACT_SEARCH_LIMIT = 2_000;

/**
 * Words held by more chunks than this are left out of the BM25 query: FTS5 scores every chunk
 * that matches, so such a word costs a pass over a large share of the index while saying little
 * about which chunk is best (like a stop word). When every word of a query is that common, the
 * words side is skipped and the vector side ranks alone. (Measured over 100,000 chunks: a word in
 * 60,000 of them took 190 ms, a word in 5,000 a few.)
 */
export const COMMON_TERM_CHUNKS = 5_000;

/** The FTS5 query for words: each one quoted (no operator can slip in), any of them matching. */
export function ftsQueryOf(words: string[]): string | undefined {
	if (words.length === 0) return undefined;
	return [...new Set(words)].map((word) => `"${word.replaceAll('"', '""')}"`).join(' OR ');
}

/** The FTS5 query for a text (see {@link ftsQueryOf}). */
export function ftsQuery(query: string): string | undefined {
	return ftsQueryOf(wordsOf(query));
}

/** The words of a query that are not too common to rank by (see {@link COMMON_TERM_CHUNKS}). */
async function rankingWords(db: Db, query: string, commonTermChunks: number): Promise<string[]> {
	const words = [...new Set(wordsOf(query))];
	if (words.length === 0) return [];
	const counted = await db.$client.execute({
		sql: `SELECT term, doc FROM knowledge_chunk_terms WHERE term IN (${words.map(() => '?').join(', ')})`,
		args: words
	});
	const chunksWith = new Map(counted.rows.map((row) => [String(row.term), Number(row.doc)]));
	return words.filter((word) => (chunksWith.get(word) ?? 0) <= commonTermChunks);
}

/** The SQL condition on chunk `c` for a scope. */
function scopeCondition(scope: SearchScope): string {
	if (scope === 'products') return ' AND c.product IS NOT NULL';
	if (scope === 'documents') return ' AND c.product IS NULL';
	return '';
}

/** Chunk ids by BM25, best first. */
async function textRanking(
	db: Db,
	input: Required<Pick<HybridSearchInput, 'agentId' | 'query' | 'scope' | 'commonTermChunks'>>,
	depth: number
): Promise<number[]> {
	const match = ftsQueryOf(await rankingWords(db, input.query, input.commonTermChunks));
	if (!match) return [];
	const result = await db.$client.execute({
		sql: `SELECT c.id FROM knowledge_chunk_search s JOIN knowledge_chunks c ON c.id = s.rowid
			WHERE knowledge_chunk_search MATCH ? AND c.agent_id = ?${scopeCondition(input.scope)}
			ORDER BY s.rank LIMIT ?`,
		args: [match, input.agentId, depth]
	});
	return result.rows.map((row) => Number(row.id));
}

/** Chunk ids by cosine distance to the query's vector, nearest first, with their similarity. */
async function vectorRanking(
	db: Db,
	space: EmbeddingSpace,
	input: Required<Pick<HybridSearchInput, 'agentId' | 'scope' | 'exactLimit'>> & { vector: Float32Array; minSimilarity: number },
	depth: number
): Promise<{ id: number; similarity: number }[]> {
	const blob = vectorBlob(input.vector);
	const scope = scopeCondition(input.scope);
	const join = scope ? ' JOIN knowledge_chunks c ON c.id = v.chunk_id' : '';
	// Counting stops past the limit: only whether the agent's vectors are few matters, and how
	// large a share of the index they are.
	const counted = await db.$client.execute({
		sql: `SELECT (SELECT count(*) FROM (SELECT 1 FROM "${space.tableName}" WHERE agent_id = ? LIMIT ?)) AS mine,
			(SELECT max(rowid) FROM "${space.tableName}") AS total`,
		args: [input.agentId, input.exactLimit + 1]
	});
	const mine = Number(counted.rows[0]?.mine ?? 0);
	const total = Number(counted.rows[0]?.total ?? 0);
	if (mine === 0) return [];
	// The index knows no agents: ask it for as many more neighbours as the agent's share of the
	// index is small (at most 8 times), then keep the agent's.
	const oversample = Math.min(8, Math.max(1, Math.ceil(total / Math.max(mine, 1) / 4)));
	const result =
		mine <= input.exactLimit
			? await db.$client.execute({
					sql: `SELECT v.chunk_id AS id, vector_distance_cos(v.embedding, ?) AS distance
						FROM "${space.tableName}" v${join} WHERE v.agent_id = ?${scope}
						ORDER BY distance LIMIT ?`,
					args: [blob, input.agentId, depth]
				})
			: await db.$client.execute({
					sql: `SELECT v.chunk_id AS id, vector_distance_cos(v.embedding, ?) AS distance
						FROM vector_top_k('${space.indexName}', ?, ?) AS top
						JOIN "${space.tableName}" v ON v.rowid = top.id${join}
						WHERE v.agent_id = ?${scope} ORDER BY distance LIMIT ?`,
					args: [blob, blob, depth * oversample, input.agentId, depth]
				});
	return result.rows
		.map((row) => ({ id: Number(row.id), similarity: 1 - Number(row.distance) }))
		.filter((row) => row.similarity >= input.minSimilarity);
}

/** Weights made safe: finite, at least 0, not both 0 (then the defaults). */
export function normalizeWeights(weights: Partial<SearchWeights> | undefined): SearchWeights {
	const text = Number.isFinite(weights?.text) ? Math.max(0, weights!.text!) : DEFAULT_WEIGHTS.text;
	const vector = Number.isFinite(weights?.vector) ? Math.max(0, weights!.vector!) : DEFAULT_WEIGHTS.vector;
	return text + vector > 0 ? { text, vector } : { ...DEFAULT_WEIGHTS };
}

/**
 * Weighted reciprocal rank fusion: every id scores, for each list it is in, the list's weight
 * divided by (k + its 1-based rank). Ties keep the text list's order first.
 */
export function fuseRankings(
	textIds: number[],
	vectorIds: number[],
	weights: SearchWeights,
	k = RRF_K
): { id: number; hybrid: number; textRank: number | null; vectorRank: number | null }[] {
	const fused = new Map<number, { id: number; hybrid: number; textRank: number | null; vectorRank: number | null }>();
	const entry = (id: number) => {
		let found = fused.get(id);
		if (!found) fused.set(id, (found = { id, hybrid: 0, textRank: null, vectorRank: null }));
		return found;
	};
	textIds.forEach((id, index) => {
		const hit = entry(id);
		hit.textRank = index + 1;
		hit.hybrid += weights.text / (k + index + 1);
	});
	vectorIds.forEach((id, index) => {
		const hit = entry(id);
		hit.vectorRank = index + 1;
		hit.hybrid += weights.vector / (k + index + 1);
	});
	return [...fused.values()].sort((a, b) => b.hybrid - a.hybrid);
}

/**
 * Searches an agent's knowledge by words (FTS5, BM25) and by meaning (the vectors of the
 * embedder's model) and merges both lists by weighted reciprocal rank fusion. Chunks not yet
 * embedded are still found by their words.
 */
export async function hybridSearch(db: Db, input: HybridSearchInput): Promise<HybridSearchResult> {
	const weights = normalizeWeights(input.weights);
	const scope = input.scope ?? 'all';
	const limit = Math.max(1, Math.min(50, Math.trunc(input.limit)));
	const depth = Math.max(50, limit * 5);
	const space = weights.vector > 0 ? await findSpace(db, input.embedder.id) : undefined;
	const [vector] = space && wordsOf(input.query).length > 0 ? await input.embedder.embed([input.query], input.signal) : [];
	const [textIds, vectorHits] = await Promise.all([
		weights.text > 0
			? textRanking(
					db,
					{ agentId: input.agentId, query: input.query, scope, commonTermChunks: input.commonTermChunks ?? COMMON_TERM_CHUNKS },
					depth
				)
			: [],
		space && vector
			? vectorRanking(
					db,
					space,
					{
						agentId: input.agentId,
						scope,
						vector,
						minSimilarity: input.embedder.minSimilarity,
						exactLimit: input.exactLimit ?? EXACT_SEARCH_LIMIT
					},
					depth
				)
			: []
	]);
	const similarity = new Map(vectorHits.map((hit) => [hit.id, hit.similarity]));
	const fused = fuseRankings(
		textIds,
		vectorHits.map((hit) => hit.id),
		weights
	).slice(0, limit);
	const searchType = !space || !vector ? 'text' : weights.text === 0 ? 'vector' : 'hybrid';
	if (fused.length === 0) return { hits: [], weights, searchType };

	const ids = fused.map((hit) => hit.id);
	const chunks = await db
		.select({
			id: knowledgeChunks.id,
			text: knowledgeChunks.text,
			position: knowledgeChunks.position,
			product: knowledgeChunks.product,
			sourceId: knowledgeChunks.sourceId
		})
		.from(knowledgeChunks)
		.where(inArray(knowledgeChunks.id, ids));
	const sourceIds = [...new Set(chunks.map((chunk) => chunk.sourceId))];
	const sources = await db
		.select({ id: knowledgeSources.id, name: knowledgeSources.name, kind: knowledgeSources.kind, fileId: knowledgeSources.fileId })
		.from(knowledgeSources)
		.where(inArray(knowledgeSources.id, sourceIds));
	const chunkById = new Map(chunks.map((chunk) => [chunk.id, chunk]));
	const sourceById = new Map(sources.map((source) => [source.id, source]));
	const hits: HybridHit[] = [];
	for (const hit of fused) {
		const chunk = chunkById.get(hit.id);
		const source = chunk && sourceById.get(chunk.sourceId);
		if (!chunk || !source) continue;
		hits.push({
			chunkId: chunk.id,
			text: chunk.text,
			position: chunk.position,
			product: chunk.product,
			source,
			scores: {
				hybrid: hit.hybrid,
				textRank: hit.textRank,
				vectorRank: hit.vectorRank,
				similarity: similarity.get(hit.id) ?? null
			}
		});
	}
	return { hits, weights, searchType };
}
