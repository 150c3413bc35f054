// Figure 8: hybrid knowledge search over 100,000 chunks with the offline embedding — how long one
// search takes (words by FTS5 BM25 and meaning by the vector index, fused), p50/p95/max over a
// few hundred queries. Run by bench/run.mjs through tsx; prints one JSON line last.
//
// Building 100,000 chunks with their vectors takes minutes (the vector index is built row by
// row), so the database is kept in the system's temporary folder under a name that changes with
// anything that shapes it (the knowledge tables, the embedding, the chunk generator, the index
// settings): a second run on the same machine measures at once.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/lib/server/db/index';
import { diskMigrations } from '../src/lib/server/db/disk-migrations';
import { agents, appMeta, knowledgeChunks, knowledgeSources } from '../src/lib/server/db/schema';
import { lexicalEmbedder } from '../src/lib/server/knowledge/embedder';
import { hybridSearch } from '../src/lib/server/knowledge/hybrid-search';
import { embedMissingChunks } from '../src/lib/server/knowledge/indexer';
import { VECTOR_INDEX_OPTIONS } from '../src/lib/server/knowledge/vector-store';

const { values } = parseArgs({
	options: {
		chunks: { type: 'string', default: '100000' },
		queries: { type: 'string', default: '300' }
	}
});
const CHUNKS = Number(values.chunks);
const QUERIES = Number(values.queries);
const ROOT = resolve(import.meta.dirname, '..');
const GENERATOR_VERSION = 1;

/** A small deterministic random source (LCG), so every run builds the same chunks. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** A vocabulary of English-like words from syllables; earlier words are drawn more often (Zipf-like). */
function vocabulary(size: number, next: () => number): string[] {
	const syllables = [
		'ka',
		'lo',
		're',
		'ti',
		'mon',
		'sar',
		'ven',
		'dul',
		'pra',
		'sto',
		'ner',
		'bel',
		'cor',
		'fin',
		'gal',
		'hes',
		'jun',
		'mir',
		'pol',
		'tor',
		'un',
		'vis',
		'wel',
		'zan'
	];
	const words = new Set<string>();
	while (words.size < size) {
		const count = 1 + Math.floor(next() * 3);
		words.add(Array.from({ length: count }, () => syllables[Math.floor(next() * syllables.length)]).join(''));
	}
	return [...words];
}

const SUFFIXES = ['', '', '', 's', 'ing', 'ed', 'er'];

function pick(words: string[], next: () => number): string {
	return words[Math.floor(next() ** 2.5 * words.length)];
}

function sentence(words: string[], next: () => number): string {
	const length = 8 + Math.floor(next() * 10);
	const body = Array.from({ length }, () => pick(words, next) + SUFFIXES[Math.floor(next() * SUFFIXES.length)]).join(' ');
	return `${body[0].toUpperCase()}${body.slice(1)}.`;
}

const databaseKey = createHash('sha256')
	// Later migrations are applied when the database is opened; the vector index's shape is in the code below.
	.update(readFileSync(join(ROOT, 'drizzle/0003_knowledge.sql')))
	.update(VECTOR_INDEX_OPTIONS)
	.update(readFileSync(join(ROOT, 'src/lib/server/knowledge/lexical-embedding.ts')))
	.update(`${CHUNKS}:${GENERATOR_VERSION}`)
	.digest('hex')
	.slice(0, 12);
const path = join(tmpdir(), `parley-bench-knowledge-${databaseKey}.db`);
const next = random(42);
const words = vocabulary(6000, next);

let buildMs: number | null = null;
if (!existsSync(path)) {
	const building = `${path}.building`;
	for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
	const db = await openDatabase({ url: `file:${building}`, migrations: diskMigrations(join(ROOT, 'drizzle')) });
	const started = performance.now();
	const [agent] = await db.insert(agents).values({ slug: 'bench', name: 'Bench', model: 'mock:offline' }).returning();
	await db.insert(knowledgeSources).values({ id: 'bench', agentId: agent.id, kind: 'document', name: 'bench.txt', status: 'ready' });
	for (let start = 0; start < CHUNKS; start += 500) {
		await db.insert(knowledgeChunks).values(
			Array.from({ length: Math.min(500, CHUNKS - start) }, (_, index) => ({
				sourceId: 'bench',
				agentId: agent.id,
				position: start + index,
				text: Array.from({ length: 6 }, () => sentence(words, next)).join(' ')
			}))
		);
	}
	const progress = setInterval(() => process.stderr.write(`  building: ${Math.round((performance.now() - started) / 1000)} s\n`), 30_000);
	await embedMissingChunks(db, lexicalEmbedder);
	clearInterval(progress);
	buildMs = performance.now() - started;
	await db.insert(appMeta).values({ key: 'bench_built_ms', value: String(Math.round(buildMs)) });
	await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
	db.$client.close();
	renameSync(building, path);
	for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
}

const db = await openDatabase({ url: `file:${path}`, migrations: diskMigrations(join(ROOT, 'drizzle')) });
const [agent] = await db.select().from(agents);
const queryRandom = random(7);
const queries = Array.from({ length: QUERIES + 30 }, () => {
	const count = 2 + Math.floor(queryRandom() * 2);
	return Array.from({ length: count }, () => pick(words, queryRandom) + SUFFIXES[Math.floor(queryRandom() * SUFFIXES.length)]).join(' ');
});
const times: number[] = [];
let hits = 0;
let fromVectors = 0;
for (const [index, query] of queries.entries()) {
	const started = performance.now();
	const result = await hybridSearch(db, { agentId: agent.id, query, limit: 5, embedder: lexicalEmbedder });
	const elapsed = performance.now() - started;
	if (index < 30) continue; // warm-up
	times.push(elapsed);
	hits += result.hits.length;
	fromVectors += result.hits.filter((hit) => hit.scores.vectorRank !== null).length;
}
times.sort((a, b) => a - b);
const at = (share: number) => times[Math.min(times.length - 1, Math.floor(share * times.length))];
db.$client.close();
console.log(
	JSON.stringify({
		chunks: CHUNKS,
		queries: times.length,
		builtNow: buildMs !== null,
		buildMs,
		p50Ms: at(0.5),
		p95Ms: at(0.95),
		maxMs: times.at(-1),
		meanHits: hits / times.length,
		vectorShareOfHits: hits ? fromVectors / hits : 0
	})
);
