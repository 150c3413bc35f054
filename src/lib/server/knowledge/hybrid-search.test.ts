import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, embeddingSpaces, knowledgeChunks, knowledgeSources } from '../db/schema';
import { lexicalEmbedder, type Embedder } from './embedder';
import { fuseRankings, ftsQuery, hybridSearch, normalizeWeights } from './hybrid-search';
import { embedMissingChunks } from './indexer';
import { findSpace } from './vector-store';

let temp: TempDb;
let agentId: number;

/** Stores chunks as one catalogue source of the test agent, without vectors. */
async function addChunks(texts: string[], options: { products?: boolean; agent?: number } = {}) {
	const agent = options.agent ?? agentId;
	const sourceId = `src-${Math.random().toString(36).slice(2, 10)}`;
	await temp.db
		.insert(knowledgeSources)
		.values({ id: sourceId, agentId: agent, kind: options.products ? 'catalogue' : 'document', name: `${sourceId}.txt`, status: 'ready' });
	await temp.db.insert(knowledgeChunks).values(
		texts.map((text, position) => ({
			sourceId,
			agentId: agent,
			position,
			text,
			product: options.products ? { category: 'Test', name: text.split('.')[0], description: text, price: 10 + position } : null
		}))
	);
	return sourceId;
}

beforeEach(async () => {
	temp = await createTempDb();
	const [agent] = await temp.db.insert(agents).values({ slug: 'kb', name: 'KB', model: 'mock:offline' }).returning();
	agentId = agent.id;
});

afterEach(() => temp.cleanup());

describe('hybridSearch with the offline embedding', () => {
	it('ranks the exact keyword hit first and finds the plural through the vector side', async () => {
		await addChunks([
			'Emberglow lantern. A rechargeable lantern with warm light.',
			'Camp lanterns. Two small lanterns for the tent.',
			'Cast iron skillet. For searing and baking.',
			'Wool blanket. Soft and warm for cold evenings.'
		]);
		await embedMissingChunks(temp.db, lexicalEmbedder);

		const result = await hybridSearch(temp.db, { agentId, query: 'lantern', limit: 5, embedder: lexicalEmbedder });

		expect(result.searchType).toBe('hybrid');
		expect(result.weights).toEqual({ text: 0.5, vector: 0.5 });
		expect(result.hits[0].text).toContain('Emberglow lantern');
		expect(result.hits[0].scores.textRank).toBe(1);
		const plural = result.hits.find((hit) => hit.text.startsWith('Camp lanterns'));
		expect(plural, 'the plural is found').toBeDefined();
		expect(plural!.scores.textRank, 'the words alone do not match "lanterns"').toBeNull();
		expect(plural!.scores.vectorRank).not.toBeNull();
		expect(plural!.scores.hybrid).toBeGreaterThan(0);
		expect(result.hits[0].scores.hybrid).toBeGreaterThan(plural!.scores.hybrid);
		expect(result.hits.map((hit) => hit.text)).not.toContain('Cast iron skillet. For searing and baking.');
	});

	it('gives the same ranking through the vector index as by exact search', async () => {
		await addChunks(
			Array.from({ length: 40 }, (_, index) => `Item ${index}: ${index % 2 ? 'lanterns and lamps' : 'skillets and pans'} number ${index}.`)
		);
		await addChunks(['Emberglow lantern. Warm light.']);
		await embedMissingChunks(temp.db, lexicalEmbedder);
		const exact = await hybridSearch(temp.db, { agentId, query: 'lantern', limit: 5, embedder: lexicalEmbedder });
		const indexed = await hybridSearch(temp.db, { agentId, query: 'lantern', limit: 5, embedder: lexicalEmbedder, exactLimit: 0 });
		expect(indexed.searchType).toBe('hybrid');
		expect(indexed.hits[0].text).toBe('Emberglow lantern. Warm light.');
		// Chunks at the same distance may come in any order: compare what was found, not the ties' order.
		const profile = (hits: typeof exact.hits) => hits.map((hit) => [hit.scores.textRank, hit.scores.similarity?.toFixed(4)]);
		expect(profile(indexed.hits)).toEqual(profile(exact.hits));
	});

	it('finds a stem variant ("hiking" for "hike") by meaning only', async () => {
		await addChunks(['Granite hiking boots. Waterproof boots for rocky trails.', 'Chef knife. Forged steel.']);
		await embedMissingChunks(temp.db, lexicalEmbedder);

		const result = await hybridSearch(temp.db, { agentId, query: 'boot for a hike', limit: 5, embedder: lexicalEmbedder });

		expect(result.hits.map((hit) => hit.text)).toEqual(['Granite hiking boots. Waterproof boots for rocky trails.']);
	});

	it('honours the weights: text only, vector only', async () => {
		await addChunks(['Trail lantern. Bright.', 'Lanterns for camping. Pack of two.']);
		await embedMissingChunks(temp.db, lexicalEmbedder);

		const textOnly = await hybridSearch(temp.db, {
			agentId,
			query: 'lantern',
			limit: 5,
			weights: { text: 1, vector: 0 },
			embedder: lexicalEmbedder
		});
		expect(textOnly.searchType).toBe('text');
		expect(textOnly.hits.map((hit) => hit.text)).toEqual(['Trail lantern. Bright.']);
		expect(textOnly.hits[0].scores.hybrid).toBeCloseTo(1 / 61, 10);

		const vectorOnly = await hybridSearch(temp.db, {
			agentId,
			query: 'lanterns',
			limit: 5,
			weights: { text: 0, vector: 1 },
			embedder: lexicalEmbedder
		});
		expect(vectorOnly.searchType).toBe('vector');
		expect(vectorOnly.weights).toEqual({ text: 0, vector: 1 });
		expect(vectorOnly.hits).toHaveLength(2);
		expect(vectorOnly.hits.every((hit) => hit.scores.textRank === null)).toBe(true);
	});

	it('searches words only until the chunks have vectors', async () => {
		await addChunks(['Trail lantern. Bright.', 'Lanterns for camping.']);
		const result = await hybridSearch(temp.db, { agentId, query: 'lantern', limit: 5, embedder: lexicalEmbedder });
		expect(result.searchType).toBe('text');
		expect(result.hits.map((hit) => hit.text)).toEqual(['Trail lantern. Bright.']);
	});

	it("keeps to the agent's own chunks and to the scope", async () => {
		const [other] = await temp.db.insert(agents).values({ slug: 'other', name: 'Other', model: 'mock:offline' }).returning();
		await addChunks(['Lantern for the other agent.'], { agent: other.id });
		await addChunks(['Lantern product.'], { products: true });
		await addChunks(['Lantern manual page.']);
		await embedMissingChunks(temp.db, lexicalEmbedder);

		const all = await hybridSearch(temp.db, { agentId, query: 'lantern', limit: 10, embedder: lexicalEmbedder });
		expect(all.hits.map((hit) => hit.text).sort()).toEqual(['Lantern manual page.', 'Lantern product.']);
		const products = await hybridSearch(temp.db, { agentId, query: 'lantern', limit: 10, scope: 'products', embedder: lexicalEmbedder });
		expect(products.hits.map((hit) => hit.text)).toEqual(['Lantern product.']);
		expect(products.hits[0].product?.price).toBe(10);
		const documents = await hybridSearch(temp.db, { agentId, query: 'lantern', limit: 10, scope: 'documents', embedder: lexicalEmbedder });
		expect(documents.hits.map((hit) => hit.text)).toEqual(['Lantern manual page.']);
	});

	it('leaves words held by too many chunks out of the words side', async () => {
		await addChunks(['Camp lantern. Bright camp light.', 'Camp stove. Small camp stove.', 'Camp chair. Folding camp chair.']);
		await embedMissingChunks(temp.db, lexicalEmbedder);
		const all = await hybridSearch(temp.db, {
			agentId,
			query: 'camp lantern',
			limit: 5,
			embedder: lexicalEmbedder,
			weights: { text: 1, vector: 0 }
		});
		expect(all.hits.map((hit) => hit.scores.textRank)).toEqual([1, 2, 3]);
		const pruned = await hybridSearch(temp.db, {
			agentId,
			query: 'camp lantern',
			limit: 5,
			embedder: lexicalEmbedder,
			weights: { text: 1, vector: 0 },
			commonTermChunks: 2
		});
		expect(pruned.hits.map((hit) => hit.text)).toEqual(['Camp lantern. Bright camp light.']);
		const onlyCommon = await hybridSearch(temp.db, { agentId, query: 'camp', limit: 5, embedder: lexicalEmbedder, commonTermChunks: 2 });
		expect(onlyCommon.hits.length, 'the vector side still ranks').toBe(3);
		expect(onlyCommon.hits.every((hit) => hit.scores.textRank === null)).toBe(true);
	});

	it('treats FTS5 syntax in a query as words', async () => {
		await addChunks(['Tent "ridge" NEAR poles. Strong.']);
		await embedMissingChunks(temp.db, lexicalEmbedder);
		const result = await hybridSearch(temp.db, { agentId, query: 'ridge" OR NEAR( * tent', limit: 5, embedder: lexicalEmbedder });
		expect(result.hits).toHaveLength(1);
		expect(ftsQuery('a "b" c*')).toBe('"b" OR "c"');
		expect(ftsQuery('the a of')).toBeUndefined();
	});
});

describe('embedding spaces', () => {
	/** A fake provider model: a 3-dimensional embedding of letter counts, counting its calls. */
	function fakeEmbedder(id: string, dimensions = 3): Embedder & { calls: number } {
		const embedder = {
			id,
			minSimilarity: 0,
			calls: 0,
			async embed(texts: string[]) {
				embedder.calls++;
				return texts.map((text) => {
					const vector = new Float32Array(dimensions);
					for (const character of text.toLowerCase()) vector[character.charCodeAt(0) % dimensions] += 1;
					return vector;
				});
			}
		};
		return embedder;
	}

	it('keeps one vector table per model, and re-embeds everything into a new one when the model changes', async () => {
		await addChunks(['alpha', 'beta', 'gamma']);
		expect(await embedMissingChunks(temp.db, lexicalEmbedder)).toBe(3);
		expect(await embedMissingChunks(temp.db, lexicalEmbedder), 'nothing left to embed').toBe(0);
		const lexical = await findSpace(temp.db, lexicalEmbedder.id);
		expect(lexical?.dimensions).toBe(256);

		const fake = fakeEmbedder('compatible:fake-embed');
		expect(await embedMissingChunks(temp.db, fake)).toBe(3);
		const spaces = await temp.db.select().from(embeddingSpaces);
		expect(spaces.map((space) => [space.model, space.dimensions])).toEqual([['compatible:fake-embed', 3]]);
		const tables = await temp.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'knowledge_vectors_%'");
		// The vector index keeps its graph in a shadow table named after it; the old model's are gone.
		expect(tables.rows.map((row) => row.name)).toEqual([spaces[0].tableName, `${spaces[0].tableName}_idx_shadow`]);

		const result = await hybridSearch(temp.db, { agentId, query: 'beta', limit: 3, embedder: fake });
		expect(result.searchType).toBe('hybrid');
		expect(result.hits[0].text).toBe('beta');
	});

	it('removes the vectors of deleted chunks with them', async () => {
		const sourceId = await addChunks(['alpha', 'beta']);
		await embedMissingChunks(temp.db, lexicalEmbedder);
		const space = (await findSpace(temp.db, lexicalEmbedder.id))!;
		await temp.db.delete(knowledgeSources).where(eq(knowledgeSources.id, sourceId));
		const left = await temp.db.$client.execute(`SELECT count(*) AS n FROM "${space.tableName}"`);
		expect(Number(left.rows[0].n)).toBe(0);
	});
});

describe('fuseRankings', () => {
	it('adds weight / (60 + rank) over both lists', () => {
		const fused = fuseRankings([1, 2], [2, 3], { text: 0.3, vector: 0.7 });
		expect(fused.map((hit) => hit.id)).toEqual([2, 3, 1]);
		expect(fused[0].hybrid).toBeCloseTo(0.3 / 62 + 0.7 / 61, 12);
		expect(fused[0]).toMatchObject({ textRank: 2, vectorRank: 1 });
	});

	it('makes weights safe', () => {
		expect(normalizeWeights({ text: -1, vector: Number.NaN })).toEqual({ text: 0, vector: 0.5 });
		expect(normalizeWeights({ text: 0, vector: 0 })).toEqual({ text: 0.5, vector: 0.5 });
		expect(normalizeWeights(undefined)).toEqual({ text: 0.5, vector: 0.5 });
	});
});
