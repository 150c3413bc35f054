import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { OFFLINE_MODEL_ID } from '../models/catalog';
import { builtinTools } from '../tools/builtin';
import { dirname, join } from 'node:path';
import { LocalFileStorage } from '../files/local-storage';
import { seedDemoData } from './seed';
import { agents, agentTools, appMeta, files, knowledgeSources, tools } from './schema';

let temp: TempDb;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
});

afterEach(() => {
	temp.cleanup();
});

async function toolNamesOf(slug: string): Promise<string[]> {
	const rows = await temp.db
		.select({ name: tools.name })
		.from(agentTools)
		.innerJoin(agents, eq(agents.id, agentTools.agentId))
		.innerJoin(tools, eq(tools.id, agentTools.toolId))
		.where(eq(agents.slug, slug))
		.orderBy(asc(agentTools.position));
	return rows.map((row) => row.name);
}

async function counts() {
	return {
		agents: (await temp.db.select().from(agents)).length,
		tools: (await temp.db.select().from(tools)).length,
		links: (await temp.db.select().from(agentTools)).length,
		meta: (await temp.db.select().from(appMeta)).length
	};
}

describe('seedDemoData', () => {
	it('creates the assistant and tool-demo agents on the offline model, visible to users', async () => {
		const rows = await temp.db.select().from(agents).orderBy(asc(agents.slug));
		expect(rows.map((agent) => agent.slug)).toEqual(['assistant', 'shop', 'tool-demo']);
		for (const agent of rows) {
			expect(agent.model).toBe(OFFLINE_MODEL_ID);
			expect(agent.model).toBe('mock:offline');
			expect(agent.visibility).toBe('users');
			expect(agent.source).toBe('database');
			expect(agent.systemPrompt).not.toBe('');
		}
	});

	it('gives the assistant no tools', async () => {
		expect(await toolNamesOf('assistant')).toEqual([]);
	});

	it('gives tool-demo the calculator then current_time', async () => {
		expect(await toolNamesOf('tool-demo')).toEqual(['calculator', 'current_time']);
	});

	it('defines the calculator with a required string expression', async () => {
		const [calculator] = await temp.db.select().from(tools).where(eq(tools.name, 'calculator'));
		expect(calculator.kind).toBe('builtin');
		const schema = calculator.inputSchema as {
			type: string;
			properties: Record<string, { type: string }>;
			required?: string[];
		};
		expect(schema.type).toBe('object');
		expect(schema.properties.expression.type).toBe('string');
		expect(schema.required).toEqual(['expression']);
	});

	it('defines current_time with an optional timezone defaulting to UTC', async () => {
		const [currentTime] = await temp.db.select().from(tools).where(eq(tools.name, 'current_time'));
		expect(currentTime.kind).toBe('builtin');
		const schema = currentTime.inputSchema as {
			type: string;
			properties: Record<string, { type: string; default?: unknown }>;
			required?: string[];
		};
		expect(schema.type).toBe('object');
		expect(schema.properties.timezone.type).toBe('string');
		expect(schema.properties.timezone.default).toBe('UTC');
		expect(schema.required ?? []).not.toContain('timezone');
	});

	it('defines http_request with a required URL, attached to no agent', async () => {
		const [httpRequest] = await temp.db.select().from(tools).where(eq(tools.name, 'http_request'));
		expect(httpRequest.kind).toBe('builtin');
		expect(httpRequest.requiresApproval).toBe(false);
		expect(httpRequest.inputSchema).toEqual({
			type: 'object',
			properties: {
				url: expect.objectContaining({ type: 'string', format: 'uri' }),
				method: expect.objectContaining({ type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'GET' }),
				headers: expect.objectContaining({ type: 'object', additionalProperties: { type: 'string' } }),
				body: expect.objectContaining({ type: 'string' })
			},
			required: ['url'],
			additionalProperties: false
		});
		const links = await temp.db.select().from(agentTools).where(eq(agentTools.toolId, httpRequest.id));
		expect(links).toEqual([]);
	});

	it('seeds only tools that have a built-in implementation', async () => {
		const names = (await temp.db.select({ name: tools.name }).from(tools)).map((tool) => tool.name).sort();
		expect(names).toEqual(['calculator', 'current_time', 'http_request', 'search_knowledge', 'search_products']);
		for (const name of names) expect(Object.hasOwn(builtinTools, name)).toBe(true);
	});

	it('records that it ran in app_meta', async () => {
		const [row] = await temp.db.select().from(appMeta).where(eq(appMeta.key, 'demo_seeded_at'));
		expect(row).toBeDefined();
		expect(Number.isNaN(Date.parse(row.value))).toBe(false);
	});

	it('creates nothing new when run again', async () => {
		const before = await counts();
		const [metaBefore] = await temp.db.select().from(appMeta).where(eq(appMeta.key, 'demo_seeded_at'));

		await seedDemoData(temp.db);
		await seedDemoData(temp.db);

		expect(await counts()).toEqual(before);
		const [metaAfter] = await temp.db.select().from(appMeta).where(eq(appMeta.key, 'demo_seeded_at'));
		expect(metaAfter.value).toBe(metaBefore.value);
	});

	it('reports the agents it created, and none when run again', async () => {
		const fresh = await createTempDb();
		try {
			const storage = new LocalFileStorage(join(dirname(fresh.url.slice('file:'.length)), 'uploads'));
			expect(await seedDemoData(fresh.db, { storage })).toEqual({ created: ['Assistant', 'Tool demo', 'Shop assistant'] });
			expect(await seedDemoData(fresh.db, { storage })).toEqual({ created: [] });
		} finally {
			fresh.cleanup();
		}
	});

	it('does not bring back an agent an admin deleted', async () => {
		await temp.db.delete(agents).where(eq(agents.slug, 'assistant'));

		await seedDemoData(temp.db);

		expect(await temp.db.select().from(agents).where(eq(agents.slug, 'assistant'))).toHaveLength(0);
		expect(await temp.db.select().from(agents).where(eq(agents.slug, 'tool-demo'))).toHaveLength(1);
	});

	it('does not undo an admin edit of a seeded agent', async () => {
		await temp.db.update(agents).set({ name: 'Renamed' }).where(eq(agents.slug, 'tool-demo'));

		await seedDemoData(temp.db);

		const [agent] = await temp.db.select().from(agents).where(eq(agents.slug, 'tool-demo'));
		expect(agent.name).toBe('Renamed');
	});
});

describe('seedDemoData on an unseeded database', () => {
	it('seeds a database that was opened without seeding', async () => {
		const fresh = await createTempDb();
		try {
			expect(await fresh.db.select().from(agents)).toHaveLength(0);
			await seedDemoData(fresh.db, { storage: new LocalFileStorage(join(dirname(fresh.url.slice('file:'.length)), 'uploads')) });
			const slugs = (await fresh.db.select().from(agents)).map((agent) => agent.slug).sort();
			expect(slugs).toEqual(['assistant', 'shop', 'tool-demo']);
		} finally {
			fresh.cleanup();
		}
	});
});

describe('the demo shop', () => {
	it('gives the shop agent search_products and a CSV catalogue with a picture per product', async () => {
		const [shop] = await temp.db.select().from(agents).where(eq(agents.slug, 'shop'));
		expect(shop).toMatchObject({ name: 'Shop assistant', model: 'mock:offline', visibility: 'users' });
		expect(await toolNamesOf('shop')).toEqual(['search_products']);
		const [search] = await temp.db.select().from(tools).where(eq(tools.name, 'search_products'));
		expect(search.inputSchema).toMatchObject({
			properties: { query: { type: 'string' }, limit: { type: 'integer' } },
			required: ['query']
		});
		const sources = await temp.db.select().from(knowledgeSources).where(eq(knowledgeSources.agentId, shop.id));
		expect(sources).toHaveLength(1);
		expect(sources[0]).toMatchObject({ kind: 'catalogue', name: 'shop-catalogue.csv', status: 'pending' });
		const stored = await temp.db.select().from(files);
		const pictures = stored.filter((file) => file.mimeType === 'image/png');
		expect(pictures.length).toBeGreaterThanOrEqual(30);
		expect(pictures.every((file) => file.userId === null && file.anonymousId === null)).toBe(true);
		const csv = stored.find((file) => file.id === sources[0].fileId);
		expect(csv?.mimeType).toBe('text/csv');
	});

	it('seeds the shop into an installation seeded before it existed, once', async () => {
		const fresh = await createTempDb();
		const storage = new LocalFileStorage(join(dirname(fresh.url.slice('file:'.length)), 'uploads'));
		try {
			await fresh.db.insert(appMeta).values({ key: 'demo_seeded_at', value: new Date().toISOString() });
			await seedDemoData(fresh.db, { storage });
			await seedDemoData(fresh.db, { storage });
			expect((await fresh.db.select().from(agents)).map((agent) => agent.slug)).toEqual(['shop']);
			expect(await fresh.db.select().from(knowledgeSources)).toHaveLength(1);
		} finally {
			fresh.cleanup();
		}
	});

	it("leaves an installation's own agent named shop alone", async () => {
		const fresh = await createTempDb();
		const storage = new LocalFileStorage(join(dirname(fresh.url.slice('file:'.length)), 'uploads'));
		try {
			await fresh.db.insert(agents).values({ slug: 'shop', name: 'Our shop', model: 'mock:offline' });
			await seedDemoData(fresh.db, { storage });
			const [shop] = await fresh.db.select().from(agents).where(eq(agents.slug, 'shop'));
			expect(shop.name).toBe('Our shop');
			expect(await fresh.db.select().from(knowledgeSources)).toHaveLength(0);
			expect(await fresh.db.select().from(files)).toHaveLength(0);
		} finally {
			fresh.cleanup();
		}
	});
});
