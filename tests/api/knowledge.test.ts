/**
 * The admin knowledge endpoints (/api/admin/agents/{id}/knowledge…) against the built server:
 * who may call them, what they refuse before storing anything, and the whole path of a source
 * from upload to search to deletion.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, files, knowledgeSources } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

let server: TestServer;
let db: Db;
let admin: SessionClient;
let member: SessionClient;
let shopId: number;
let assistantId: number;

/** The server's limit on one file in these tests, in bytes. */
const FILE_LIMIT = 4096;

interface Source {
	id: string;
	name: string;
	kind: string;
	status: string;
	error: string | null;
	chunkCount: number;
	createdAt: string;
}

interface ErrorBody {
	error: { code: string; message: string; field?: string };
}

beforeAll(async () => {
	server = await startServer({ FILE_SIZE_LIMIT: String(FILE_LIMIT) });
	admin = await signUp(server.baseURL, 'admin@example.com');
	member = await signUp(server.baseURL, 'member@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const idOf = async (slug: string) => (await db.select({ id: agents.id }).from(agents).where(eq(agents.slug, slug)))[0].id;
	shopId = await idOf('shop');
	assistantId = await idOf('assistant');
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

const knowledgePath = (agentId: number | string) => `/api/admin/agents/${agentId}/knowledge`;

function upload(agentId: number, file: File, kind?: string, client = admin): Promise<Response> {
	const form = new FormData();
	form.append('file', file);
	if (kind !== undefined) form.append('kind', kind);
	return client.fetch(knowledgePath(agentId), { method: 'POST', body: form });
}

function search(agentId: number, body: unknown, client = admin): Promise<Response> {
	return client.fetch(`${knowledgePath(agentId)}/search`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

async function expectError(response: Response, status: number, code: string, field?: string): Promise<ErrorBody> {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/application\/json/);
	const body = (await response.json()) as ErrorBody;
	expect(body.error.code).toBe(code);
	expect(body.error.message.length).toBeGreaterThan(0);
	if (field) expect(body.error.field).toBe(field);
	return body;
}

async function listOf(agentId: number): Promise<Source[]> {
	const response = await admin.fetch(knowledgePath(agentId));
	expect(response.status).toBe(200);
	return ((await response.json()) as { sources: Source[] }).sources;
}

/** The source once it has left pending and indexing (polled a bounded number of times). */
async function settled(agentId: number, sourceId: string): Promise<Source> {
	for (let attempt = 0; attempt < 300; attempt++) {
		const source = (await listOf(agentId)).find((candidate) => candidate.id === sourceId);
		if (!source) throw new Error(`Source ${sourceId} is gone`);
		if (source.status === 'ready' || source.status === 'failed') return source;
		await new Promise((wake) => setTimeout(wake, 50));
	}
	throw new Error(`Source ${sourceId} was not indexed within 300 attempts.`);
}

async function storedCounts() {
	return {
		files: (await db.select({ id: files.id }).from(files)).length,
		sources: (await db.select({ id: knowledgeSources.id }).from(knowledgeSources)).length
	};
}

const notes = () =>
	new File(
		['# Lighthouse keeping\n\nThe keeper trims the wick of the lamp every evening and writes the weather in the logbook.\n'],
		'lighthouse-notes.md',
		{ type: 'text/markdown' }
	);

describe('who may call the knowledge endpoints', () => {
	it('refuses callers who are not signed in (401) and people who are not admins (403)', async () => {
		const anonymous = await fetch(`${server.baseURL}${knowledgePath(shopId)}`);
		await expectError(anonymous, 401, 'unauthorized');
		await expectError(await member.fetch(knowledgePath(shopId)), 403, 'forbidden');
		await expectError(await upload(shopId, notes(), 'document', member), 403, 'forbidden');
		await expectError(await search(shopId, { query: 'lantern' }, member), 403, 'forbidden');
		await expectError(await member.fetch(`${knowledgePath(shopId)}/some-source-id`, { method: 'DELETE' }), 403, 'forbidden');
		await expectError(await member.fetch(`${knowledgePath(shopId)}/some-source-id/reindex`, { method: 'POST' }), 403, 'forbidden');
	});

	it('answers 404 for an agent or a source that does not exist', async () => {
		await expectError(await admin.fetch(knowledgePath(999_999)), 404, 'not_found');
		await expectError(await admin.fetch(knowledgePath('shop')), 404, 'not_found');
		await expectError(await upload(999_999, notes(), 'document'), 404, 'not_found');
		await expectError(await search(999_999, { query: 'lantern' }), 404, 'not_found');
		await expectError(await admin.fetch(`${knowledgePath(shopId)}/no-such-source`, { method: 'DELETE' }), 404, 'not_found', 'sourceId');
		await expectError(
			await admin.fetch(`${knowledgePath(shopId)}/no-such-source/reindex`, { method: 'POST' }),
			404,
			'not_found',
			'sourceId'
		);
		// A source of another agent is not this agent's.
		const [shopCatalogue] = await listOf(shopId);
		await expectError(await admin.fetch(`${knowledgePath(assistantId)}/${shopCatalogue.id}`, { method: 'DELETE' }), 404, 'not_found');
		expect((await listOf(shopId)).map((source) => source.id)).toContain(shopCatalogue.id);
	});

	it('answers 405 as JSON for a method an endpoint does not have', async () => {
		await expectError(await admin.fetch(knowledgePath(shopId), { method: 'PUT' }), 405, 'method_not_allowed');
	});
});

describe('uploads refused before anything is stored', () => {
	it('413 for a file over the limit', async () => {
		const before = await storedCounts();
		const body = await expectError(
			await upload(assistantId, new File(['a'.repeat(FILE_LIMIT + 1)], 'big.txt', { type: 'text/plain' }), 'document'),
			413,
			'payload_too_large',
			'file'
		);
		expect(body.error.message).toContain('big.txt');
		expect(await storedCounts()).toEqual(before);
	});

	it('415 for a request that is not multipart, a catalogue that is not CSV or JSON, and a file whose text cannot be read', async () => {
		const before = await storedCounts();
		await expectError(
			await admin.fetch(knowledgePath(assistantId), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ file: 'notes.md' })
			}),
			415,
			'unsupported_media_type'
		);
		const catalogue = await expectError(await upload(assistantId, notes(), 'catalogue'), 415, 'unsupported_media_type', 'file');
		expect(catalogue.error.message).toContain('a catalogue must be a CSV or JSON file');
		const binary = new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0xff, 0xfe, 0x00, 0x01])], 'archive.bin');
		await expectError(await upload(assistantId, binary), 415, 'unsupported_media_type', 'file');
		expect(await storedCounts()).toEqual(before);
	});

	it('422 for a catalogue whose rows cannot be read, naming the file', async () => {
		const before = await storedCounts();
		const empty = new File(['name,price\n'], 'empty.csv', { type: 'text/csv' });
		const body = await expectError(await upload(assistantId, empty), 422, 'unprocessable', 'file');
		expect(body.error.message).toContain('"empty.csv" cannot be read as a catalogue');
		const notProducts = new File(['{"hello": "world"}'], 'settings.json', { type: 'application/json' });
		await expectError(await upload(assistantId, notProducts, 'catalogue'), 422, 'unprocessable', 'file');
		expect(await storedCounts()).toEqual(before);
	});

	it('400 without a file or with an unknown kind', async () => {
		const form = new FormData();
		form.append('kind', 'document');
		await expectError(await admin.fetch(knowledgePath(assistantId), { method: 'POST', body: form }), 400, 'invalid_input', 'file');
		await expectError(await upload(assistantId, notes(), 'poem'), 400, 'invalid_input', 'kind');
	});
});

describe('trial searches', () => {
	it('runs search_products over the shop catalogue and returns the envelope with the weights asked for', async () => {
		const [catalogue] = await listOf(shopId);
		expect(catalogue).toMatchObject({ name: 'shop-catalogue.csv', kind: 'catalogue' });
		expect((await settled(shopId, catalogue.id)).status).toBe('ready');

		const response = await search(shopId, { query: 'lantern', scope: 'products', weights: { text: 0.8, vector: 0.2 } });
		expect(response.status).toBe(200);
		const envelope = await response.json();
		expect(envelope.data[0]).toMatchObject({
			name: 'Emberglow LED Lantern',
			category: 'Camping',
			price: 39,
			source: { name: 'shop-catalogue.csv' }
		});
		expect(envelope.data[0].scores.hybrid).toBeGreaterThan(0);
		expect(envelope.metadata).toMatchObject({ weights: { text: 0.8, vector: 0.2 }, query: 'lantern', total_results: envelope.data.length });
	});

	it('refuses an empty query (400), a weight out of range (400) and two zero weights (422)', async () => {
		await expectError(await search(shopId, { query: '   ' }), 400, 'invalid_input', 'query');
		await expectError(await search(shopId, { query: 'tent', weights: { text: 2, vector: 0 } }), 400, 'invalid_input', 'weights.text');
		await expectError(await search(shopId, { query: 'tent', scope: 'everything' }), 400, 'invalid_input', 'scope');
		await expectError(await search(shopId, { query: 'tent', weights: { text: 0, vector: 0 } }), 422, 'unprocessable', 'weights');
		await expectError(
			await admin.fetch(`${knowledgePath(shopId)}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
			400,
			'invalid_input'
		);
	});
});

describe('a document from upload to deletion', () => {
	it('is indexed in the background, found by its words, indexed again, and deleted with its passages', async () => {
		const before = await storedCounts();
		const created = await upload(assistantId, notes());
		expect(created.status).toBe(201);
		const { source } = (await created.json()) as { source: Source };
		expect(source).toMatchObject({ name: 'lighthouse-notes.md', kind: 'document', chunkCount: 0 });
		expect(['pending', 'indexing', 'ready']).toContain(source.status);
		expect(await storedCounts()).toEqual({ files: before.files + 1, sources: before.sources + 1 });

		const ready = await settled(assistantId, source.id);
		expect(ready).toMatchObject({ status: 'ready', error: null });
		expect(ready.chunkCount).toBeGreaterThanOrEqual(1);

		const found = await search(assistantId, { query: 'logbook', scope: 'documents', weights: { text: 1, vector: 0.25 } });
		expect(found.status).toBe(200);
		const envelope = await found.json();
		expect(envelope.data[0]).toMatchObject({ source: { id: source.id, name: 'lighthouse-notes.md' }, position: 0 });
		expect(envelope.data[0].text).toContain('logbook');
		expect(envelope.metadata.weights).toEqual({ text: 1, vector: 0.25 });
		// The catalogue of another agent is never searched.
		const products = await search(assistantId, { query: 'lantern', scope: 'products' });
		expect((await products.json()).data).toEqual([]);

		const again = await admin.fetch(`${knowledgePath(assistantId)}/${source.id}/reindex`, { method: 'POST' });
		expect(again.status).toBe(202);
		expect(await again.json()).toEqual({ id: source.id, status: 'pending' });
		expect((await settled(assistantId, source.id)).status).toBe('ready');

		const deleted = await admin.fetch(`${knowledgePath(assistantId)}/${source.id}`, { method: 'DELETE' });
		expect(deleted.status).toBe(204);
		expect((await listOf(assistantId)).map((item) => item.id)).not.toContain(source.id);
		const gone = await search(assistantId, { query: 'logbook', scope: 'all' });
		expect((await gone.json()).data).toEqual([]);
		await expectError(await admin.fetch(`${knowledgePath(assistantId)}/${source.id}`, { method: 'DELETE' }), 404, 'not_found');
	});

	it('makes a CSV a catalogue unless the admin asks for a document', async () => {
		const csv = () => new File(['name,price,category\nTide clock,24,Home\nStorm glass,31,Home\n'], 'tides.csv', { type: 'text/csv' });
		const asCatalogue = (await (await upload(assistantId, csv())).json()) as { source: Source };
		expect(asCatalogue.source.kind).toBe('catalogue');
		expect(await settled(assistantId, asCatalogue.source.id)).toMatchObject({ status: 'ready', chunkCount: 2 });
		const asDocument = (await (await upload(assistantId, csv(), 'document')).json()) as { source: Source };
		expect(asDocument.source.kind).toBe('document');
		expect((await settled(assistantId, asDocument.source.id)).status).toBe('ready');

		const response = await search(assistantId, { query: 'storm glass', scope: 'products' });
		expect((await response.json()).data[0]).toMatchObject({ name: 'Storm glass', price: 31, source: { name: 'tides.csv' } });
		for (const source of [asCatalogue.source, asDocument.source]) {
			expect((await admin.fetch(`${knowledgePath(assistantId)}/${source.id}`, { method: 'DELETE' })).status).toBe(204);
		}
	});
});
