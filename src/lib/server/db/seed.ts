import { eq } from 'drizzle-orm';
import type { Db } from '.';
import { productPicture } from '../knowledge/product-picture';
import { shopCatalogue } from '../knowledge/shop-catalogue';
import { newId } from '../ids';
import { OFFLINE_MODEL_ID } from '../models/catalog';
import { getFileStorage } from '../files/get-file-storage';
import { sha256Hex, type FileStorage } from '../files/storage';
import { agents, agentTools, appMeta, files, knowledgeSources, tools } from './schema';

const SEEDED_KEY = 'demo_seeded_at';
const SHOP_SEEDED_KEY = 'shop_seeded_at';

/** The built-in tools every installation starts with (`http_request` is not given to any demo agent). */
export const demoTools = [
	{
		name: 'calculator',
		description: 'Evaluates an arithmetic expression such as "2 * (3 + 4)" and returns the number.',
		kind: 'builtin' as const,
		inputSchema: {
			type: 'object',
			properties: {
				expression: { type: 'string', description: 'The arithmetic expression to evaluate.' }
			},
			required: ['expression'],
			additionalProperties: false
		}
	},
	{
		name: 'current_time',
		description: 'Returns the current date and time in a time zone.',
		kind: 'builtin' as const,
		inputSchema: {
			type: 'object',
			properties: {
				timezone: {
					type: 'string',
					description: 'An IANA time zone such as "Europe/Paris".',
					default: 'UTC'
				}
			},
			additionalProperties: false
		}
	},
	{
		name: 'http_request',
		description:
			'Sends an HTTP request to a public http(s) URL and returns the status, content type and body (JSON or text, at most 1 MB). Private and local addresses are refused.',
		kind: 'builtin' as const,
		inputSchema: {
			type: 'object',
			properties: {
				url: { type: 'string', format: 'uri', description: 'The http(s) URL to request.' },
				method: {
					type: 'string',
					enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
					default: 'GET',
					description: 'The HTTP method.'
				},
				headers: {
					type: 'object',
					additionalProperties: { type: 'string' },
					description: 'Request headers, by name.'
				},
				body: { type: 'string', description: 'The request body, e.g. JSON text.' }
			},
			required: ['url'],
			additionalProperties: false
		}
	}
];

/** The input schema of both search tools (`api.md`: string `query`, optional integer `limit`). */
const searchInputSchema = {
	type: 'object',
	properties: {
		query: { type: 'string', description: 'What to look for, in words.' },
		limit: { type: 'integer', minimum: 1, maximum: 20, default: 5, description: 'How many results to return.' }
	},
	required: ['query'],
	additionalProperties: false
};

/** The knowledge search tools, seeded with the shop demo. */
export const searchTools = [
	{
		name: 'search_products',
		description:
			"Searches the agent's product catalogue by words and by meaning and returns the best matching products with category, name, description, price and a picture link.",
		kind: 'builtin' as const,
		inputSchema: searchInputSchema,
		config: { weights: { text: 0.5, vector: 0.5 } }
	},
	{
		name: 'search_knowledge',
		description:
			"Searches the agent's documents by words and by meaning and returns the passages that answer the query, with their source.",
		kind: 'builtin' as const,
		inputSchema: searchInputSchema,
		config: { weights: { text: 0.5, vector: 0.5 } }
	}
];

/** The demo shop's agent. */
export const shopAgent = {
	slug: 'shop',
	name: 'Shop assistant',
	description: 'Finds products in the demo outdoor and home store: ask for boots, a tent or a lamp.',
	systemPrompt:
		'You are the shop assistant of a small outdoor and home store. Use search_products to find products that match what the customer asks for, recommend the best ones with their price, and cite the products you mention.',
	tools: ['search_products']
};

/** The agents every installation starts with, all on the offline model. */
export const demoAgents = [
	{
		slug: 'assistant',
		name: 'Assistant',
		description: 'A general assistant. The default agent.',
		systemPrompt: 'You are Parley, a helpful assistant. Answer clearly and concisely.',
		tools: [] as string[]
	},
	{
		slug: 'tool-demo',
		name: 'Tool demo',
		description: 'Shows tool calls: ask it to use the calculator or the current time.',
		systemPrompt: 'You are a helpful assistant with tools. Use the calculator for arithmetic and current_time for the date and time.',
		tools: ['calculator', 'current_time']
	}
];

/** Gives an agent its tools, in order, by name. */
async function attachTools(db: Db, agentId: number, toolNames: string[]): Promise<void> {
	for (const [position, name] of toolNames.entries()) {
		const [tool] = await db.select({ id: tools.id }).from(tools).where(eq(tools.name, name));
		if (tool) await db.insert(agentTools).values({ agentId, toolId: tool.id, position }).onConflictDoNothing();
	}
}

/** What seeding did: the names of the agents it created (none when they were there already). */
export interface SeedReport {
	created: string[];
}

/** Inserts an agent unless its slug is taken, noting its name in `report` when it does; returns its id. */
async function insertAgent(
	db: Db,
	agent: { slug: string; name: string; description: string; systemPrompt: string },
	report: SeedReport
): Promise<number> {
	const inserted = await db
		.insert(agents)
		.values({ ...agent, model: OFFLINE_MODEL_ID })
		.onConflictDoNothing({ target: agents.slug })
		.returning({ id: agents.id });
	if (inserted.length > 0) report.created.push(agent.name);
	const [row] = await db.select({ id: agents.id }).from(agents).where(eq(agents.slug, agent.slug));
	return row.id;
}

/** Stores bytes as a file that belongs to the installation (no user), ready to use. */
async function storeSeedFile(db: Db, storage: FileStorage, name: string, mimeType: string, bytes: Uint8Array): Promise<string> {
	const id = newId();
	await db.insert(files).values({
		id,
		name,
		mimeType,
		size: bytes.byteLength,
		storageKey: await storage.put(bytes),
		sha256: sha256Hex(bytes),
		extractionStatus: 'none'
	});
	return id;
}

/** A CSV field, quoted when it must be. */
function csvField(value: string | number): string {
	const text = String(value);
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Seeds the demo shop once per installation (installations seeded before it existed get it on
 * their next start): the search tools, the `shop` agent with `search_products`, a picture per
 * product, and the catalogue as a CSV knowledge source, left `pending` for the indexer.
 */
async function seedShopDemo(db: Db, storage: FileStorage, report: SeedReport): Promise<void> {
	const seeded = await db.select().from(appMeta).where(eq(appMeta.key, SHOP_SEEDED_KEY));
	if (seeded.length > 0) return;
	const markSeeded = () => db.insert(appMeta).values({ key: SHOP_SEEDED_KEY, value: new Date().toISOString() }).onConflictDoNothing();
	for (const tool of searchTools) {
		await db.insert(tools).values(tool).onConflictDoNothing({ target: tools.name });
	}
	// An agent of the installation's own already has the slug: the demo shop stays out of its way.
	const [taken] = await db.select({ id: agents.id }).from(agents).where(eq(agents.slug, shopAgent.slug));
	if (taken) return void (await markSeeded());
	const { tools: toolNames, ...fields } = shopAgent;
	const agentId = await insertAgent(db, fields, report);
	await attachTools(db, agentId, toolNames);
	const lines = ['category,name,description,price,image'];
	for (const product of shopCatalogue) {
		const slug = product.name
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '');
		const imageId = await storeSeedFile(db, storage, `${slug}.png`, 'image/png', productPicture(product.category, product.name));
		lines.push([product.category, product.name, product.description, product.price.toFixed(2), imageId].map(csvField).join(','));
	}
	const catalogue = new TextEncoder().encode(`${lines.join('\n')}\n`);
	const fileId = await storeSeedFile(db, storage, 'shop-catalogue.csv', 'text/csv', catalogue);
	await db.insert(knowledgeSources).values({ id: newId(), agentId, fileId, kind: 'catalogue', name: 'shop-catalogue.csv' });
	await markSeeded();
}

/**
 * Seeds the demo tools and agents once per installation, and the demo shop once (see
 * {@link seedShopDemo}). Later starts leave them alone, so an admin who deletes or edits them
 * keeps their changes. Files (the shop's pictures and catalogue) go to `storage`, by default the
 * process's. Returns the names of the agents it created.
 */
export async function seedDemoData(db: Db, options: { storage?: FileStorage } = {}): Promise<SeedReport> {
	const report: SeedReport = { created: [] };
	const seeded = await db.select().from(appMeta).where(eq(appMeta.key, SEEDED_KEY));
	if (seeded.length === 0) {
		for (const tool of demoTools) {
			await db.insert(tools).values(tool).onConflictDoNothing({ target: tools.name });
		}
		for (const agent of demoAgents) {
			const { tools: toolNames, ...fields } = agent;
			await attachTools(db, await insertAgent(db, fields, report), toolNames);
		}
		await db.insert(appMeta).values({ key: SEEDED_KEY, value: new Date().toISOString() }).onConflictDoNothing();
	}
	await seedShopDemo(db, options.storage ?? getFileStorage(), report);
	return report;
}
