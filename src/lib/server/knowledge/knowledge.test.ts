import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { parseConfig } from '../config';
import { agents, embeddingSpaces, files, knowledgeChunks, knowledgeSources, users } from '../db/schema';
import { AppError } from '../errors';
import { ExtractionQueue } from '../files/extract/extraction-queue';
import { extractText } from '../files/extract/extract-text';
import { saveUpload } from '../files/file-records';
import { LocalFileStorage } from '../files/local-storage';
import { embeddingModelId, lexicalEmbedder, resolveEmbedder } from './embedder';
import { KnowledgeIndexer } from './indexer';
import { addKnowledgeSource, deleteKnowledgeSource, listKnowledgeSources, reindexKnowledgeSource, searchKnowledge } from './knowledge';
import { passageEnvelope, productEnvelope, searchKnowledgeTool, searchProductsTool } from './search-tools';

let temp: TempDb;
let folder: string;
let storage: LocalFileStorage;
let extraction: ExtractionQueue;
let indexer: KnowledgeIndexer;
let agentId: number;
const config = parseConfig({});
const admin = { kind: 'user' as const, id: 'admin-1', role: 'admin' as const };

/** Uploads a file as the admin (no task), text extracted in process rather than in a worker. */
async function upload(name: string, type: string, content: string) {
	return saveUpload(temp.db, { viewer: admin, file: new File([content], name, { type }) }, { storage, extraction });
}

beforeEach(async () => {
	temp = await createTempDb();
	folder = mkdtempSync(join(tmpdir(), 'parley-knowledge-'));
	storage = new LocalFileStorage(folder);
	extraction = new ExtractionQueue({ extract: (request) => extractText(request.bytes, request.mediaType) });
	indexer = new KnowledgeIndexer({ embedder: () => lexicalEmbedder, storage: () => storage, extraction: () => extraction });
	await temp.db.insert(users).values({ id: admin.id, email: 'admin@example.com', passwordHash: 'x', role: 'admin' });
	const [agent] = await temp.db.insert(agents).values({ slug: 'kb', name: 'KB', model: 'mock:offline' }).returning();
	agentId = agent.id;
});

afterEach(async () => {
	// An upload's text is read in the background: it ends before its database closes.
	await extraction.idle();
	temp.cleanup();
	rmSync(folder, { recursive: true, force: true });
});

const catalogueCsv = [
	'category,name,description,price',
	'Camping,Emberglow LED Lantern,"Rechargeable lantern, warm light",39',
	'Camping,Camp lanterns (pair),Two small lanterns for the tent,$24.50',
	'Kitchen,Cast Iron Skillet,For searing and baking,59'
].join('\n');

describe('knowledge sources', () => {
	it('indexes a catalogue, one chunk per row, and searches it as products', async () => {
		const file = await upload('catalogue.csv', 'text/csv', catalogueCsv);
		const source = await addKnowledgeSource(temp.db, { agentId, file, kind: 'catalogue' }, { indexer });
		expect(source.status).toBe('pending');
		await indexer.idle();

		const [indexed] = await listKnowledgeSources(temp.db, agentId);
		expect(indexed).toMatchObject({ status: 'ready', chunkCount: 3, error: null });
		const chunks = await temp.db.select().from(knowledgeChunks).orderBy(knowledgeChunks.position);
		expect(chunks[1].product).toEqual({
			category: 'Camping',
			name: 'Camp lanterns (pair)',
			description: 'Two small lanterns for the tent',
			price: 24.5
		});

		const result = await searchKnowledge(temp.db, { agentId, query: 'lantern', scope: 'products' }, { embedder: lexicalEmbedder });
		const envelope = await productEnvelope(temp.db, result, 'lantern');
		expect(envelope.metadata).toEqual({ search_type: 'hybrid', total_results: 2, weights: { text: 0.5, vector: 0.5 }, query: 'lantern' });
		expect(envelope.data.map((product) => product.name)).toEqual(['Emberglow LED Lantern', 'Camp lanterns (pair)']);
		expect(envelope.data[0]).toEqual({
			category: 'Camping',
			name: 'Emberglow LED Lantern',
			description: 'Rechargeable lantern, warm light',
			price: 39,
			scores: { hybrid: expect.any(Number) },
			source: { id: source.id, name: 'catalogue.csv' }
		});
	});

	it('indexes a document in overlapping chunks once its text is read, and searches its passages', async () => {
		const paragraphs = Array.from(
			{ length: 30 },
			(_, index) => `Paragraph ${index} talks about topic${index} in some detail. It has a second sentence too.`
		);
		paragraphs[17] = 'The warranty covers the tent poles for five years.';
		const file = await upload('manual.md', 'text/markdown', paragraphs.join('\n\n'));
		const source = await addKnowledgeSource(temp.db, { agentId, file, kind: 'document' }, { indexer });
		await indexer.idle();

		const [indexed] = await listKnowledgeSources(temp.db, agentId);
		expect(indexed.status).toBe('ready');
		expect(indexed.chunkCount).toBeGreaterThan(1);
		const result = await searchKnowledge(temp.db, { agentId, query: 'warranty poles' }, { embedder: lexicalEmbedder });
		const envelope = passageEnvelope(result, 'warranty poles');
		expect(envelope.data[0].text).toContain('The warranty covers the tent poles for five years.');
		expect(envelope.data[0].source).toEqual({ id: source.id, name: 'manual.md', file_id: file.id });
	});

	it('records why a catalogue could not be read, and indexes it again on request', async () => {
		const file = await upload('broken.json', 'application/json', '{"products": "none"}');
		const source = await addKnowledgeSource(temp.db, { agentId, file, kind: 'catalogue' }, { indexer });
		await indexer.idle();
		let [row] = await listKnowledgeSources(temp.db, agentId);
		expect(row).toMatchObject({ status: 'failed', chunkCount: 0 });
		expect(row.error).toMatch(/array of products/);

		await reindexKnowledgeSource(temp.db, agentId, source.id, { indexer });
		await indexer.idle();
		[row] = await listKnowledgeSources(temp.db, agentId);
		expect(row.status).toBe('failed');
	});

	it('refuses a catalogue that is not CSV or JSON, and a document it cannot read (415)', async () => {
		const text = await upload('notes.txt', 'text/plain', 'hello');
		await expect(addKnowledgeSource(temp.db, { agentId, file: text, kind: 'catalogue' }, { indexer })).rejects.toMatchObject({
			code: 'unsupported_media_type'
		});
		const zip = await upload('archive.zip', 'application/zip', 'PK\u0003\u0004 not really');
		const [row] = await temp.db.select().from(files).where(eq(files.id, zip.id));
		await expect(
			addKnowledgeSource(temp.db, { agentId, file: { ...row, mimeType: 'application/zip' }, kind: 'document' }, { indexer })
		).rejects.toBeInstanceOf(AppError);
		expect(await listKnowledgeSources(temp.db, agentId)).toEqual([]);
	});

	it('deletes a source with its chunks and vectors, and 404s for another agent', async () => {
		const file = await upload('catalogue.csv', 'text/csv', catalogueCsv);
		const source = await addKnowledgeSource(temp.db, { agentId, file, kind: 'catalogue' }, { indexer });
		await indexer.idle();
		expect(await temp.db.select().from(embeddingSpaces)).toHaveLength(1);
		await expect(deleteKnowledgeSource(temp.db, agentId + 1, source.id)).rejects.toMatchObject({ code: 'not_found' });

		await deleteKnowledgeSource(temp.db, agentId, source.id);

		expect(await temp.db.select().from(knowledgeSources)).toEqual([]);
		expect(await temp.db.select().from(knowledgeChunks)).toEqual([]);
		const [space] = await temp.db.select().from(embeddingSpaces);
		const vectors = await temp.db.$client.execute(`SELECT count(*) AS n FROM "${space.tableName}"`);
		expect(Number(vectors.rows[0].n)).toBe(0);
	});
});

describe('the search tools', () => {
	it('validate their input and read the weights from the tool settings', async () => {
		const file = await upload('catalogue.csv', 'text/csv', catalogueCsv);
		await addKnowledgeSource(temp.db, { agentId, file, kind: 'catalogue' }, { indexer });
		await indexer.idle();
		const context = { config, db: temp.db, agentId, toolConfig: { weights: { text: 1, vector: 0 } } };

		const products = await searchProductsTool()({ query: 'lantern', limit: 5 }, context);
		expect(products.metadata).toMatchObject({ search_type: 'text', weights: { text: 1, vector: 0 } });
		expect(products.data.map((product) => product.name)).toEqual(['Emberglow LED Lantern']);

		const passages = await searchKnowledgeTool({ query: 'skillet' }, { ...context, toolConfig: {} });
		expect(passages.data[0].text).toContain('Cast Iron Skillet');
		await expect(searchProductsTool()({ query: '' }, context)).rejects.toThrow(/query must not be empty/);
		await expect(searchProductsTool()({ query: 'x', limit: 99 }, context)).rejects.toThrow(/limit must be at most 20/);
	});
});

describe('a configured embedding model', () => {
	let server: Server;
	let baseURL: string;
	const requests: { model: string; input: string[] }[] = [];

	beforeEach(async () => {
		requests.length = 0;
		// A small OpenAI-compatible embeddings endpoint on the loopback: 8 dimensions of letter counts.
		server = createServer((request, response) => {
			let body = '';
			request.on('data', (chunk) => (body += chunk));
			request.on('end', () => {
				const parsed = JSON.parse(body) as { model: string; input: string[] };
				requests.push(parsed);
				const data = parsed.input.map((text, index) => {
					const embedding = new Array<number>(8).fill(0);
					for (const character of text.toLowerCase()) embedding[character.charCodeAt(0) % 8] += 1;
					return { object: 'embedding', index, embedding };
				});
				response.setHeader('content-type', 'application/json');
				response.end(JSON.stringify({ object: 'list', data, model: parsed.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
	});

	afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

	it('is chosen from EMBEDDING_MODEL and used for indexing and search through the same path', async () => {
		const configured = parseConfig({ OPENAI_COMPATIBLE_BASE_URL: baseURL, EMBEDDING_MODEL: 'compatible:fake-embed' });
		expect(embeddingModelId(configured)).toBe('compatible:fake-embed');
		const embedder = resolveEmbedder(configured);
		const withProvider = new KnowledgeIndexer({ embedder: () => embedder, storage: () => storage, extraction: () => extraction });
		const file = await upload('catalogue.csv', 'text/csv', catalogueCsv);
		await addKnowledgeSource(temp.db, { agentId, file, kind: 'catalogue' }, { indexer: withProvider });
		await withProvider.idle();

		expect(requests[0]).toMatchObject({ model: 'fake-embed' });
		expect(requests[0].input).toHaveLength(3);
		const [space] = await temp.db.select().from(embeddingSpaces);
		expect(space).toMatchObject({ model: 'compatible:fake-embed', dimensions: 8 });

		const result = await searchKnowledge(temp.db, { agentId, query: 'skillet' }, { embedder });
		expect(requests.at(-1)).toMatchObject({ model: 'fake-embed', input: ['skillet'] });
		expect(result.searchType).toBe('hybrid');
		expect(result.hits[0].product?.name).toBe('Cast Iron Skillet');
		expect(result.hits[0].scores.vectorRank).not.toBeNull();
	});

	it('defaults to the offline embedding, and refuses a provider without embeddings', () => {
		expect(embeddingModelId(parseConfig({}))).toBe('mock:lexical');
		expect(embeddingModelId(parseConfig({ OPENAI_API_KEY: 'sk-test' }))).toBe('openai:text-embedding-3-small');
		expect(() => resolveEmbedder(parseConfig({ ANTHROPIC_API_KEY: 'x', EMBEDDING_MODEL: 'anthropic:none' }))).toThrow(/not available/);
		expect(() => resolveEmbedder(parseConfig({ EMBEDDING_MODEL: 'openai:text-embedding-3-small' }))).toThrow(/not available/);
	});
});
