import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { knowledgeSources, users } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

let server: TestServer;
let db: Db;
let client: OpenAI;

/** Polls until the seeded catalogue is indexed (start-up indexes it in the background). */
async function catalogueReady(): Promise<void> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const [source] = await db.select().from(knowledgeSources).where(eq(knowledgeSources.name, 'shop-catalogue.csv'));
		if (source?.status === 'ready') return;
		if (source?.status === 'failed' || Date.now() > deadline)
			throw new Error(`The catalogue is ${source?.status ?? 'missing'}: ${source?.error}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
	db = await openDatabase({ url: server.databaseUrl });
	await signUp(server.baseURL, 'shopper@example.com');
	const [user] = await db.select().from(users).where(eq(users.email, 'shopper@example.com'));
	const { key } = await createApiKey(db, user.id, 'shop tests');
	client = new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: key, maxRetries: 0 });
	await catalogueReady();
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

describe('the seeded shop on a fresh install', () => {
	it('is listed as a model', async () => {
		const models = await client.models.list();
		expect(models.data.map((model) => model.id)).toContain('shop');
	});

	it('answers a question from its catalogue through search_products, citing the products', async () => {
		const completion = await client.chat.completions.create({
			model: 'shop',
			messages: [{ role: 'user', content: 'Do you have a lantern?' }]
		});
		const answer = completion.choices[0].message.content ?? '';
		expect(answer).toContain('**Emberglow LED Lantern** — $39.00, Camping [1]');
		expect(answer).toContain('The best match is **Emberglow LED Lantern** [1].');
	});

	it('stores the tool result in the chat-widget envelope, with a signed link to each picture', async () => {
		const stream = await client.chat.completions.create({
			model: 'shop',
			stream: true,
			messages: [{ role: 'user', content: 'I need warm hiking socks' }]
		});
		let text = '';
		for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
		expect(text).toContain('Merino Hiking Socks (3 pairs)');

		const rows = await db.$client.execute(
			"SELECT task_id FROM messages WHERE parts LIKE '%Merino Hiking Socks%' AND role = 'assistant' LIMIT 1"
		);
		const messages = await listMessages(db, String(rows.rows[0].task_id));
		const toolPart = messages.flatMap((message) => message.parts).find((part) => part.type === 'tool-search_products') as
			{ state: string; input: unknown; output: Record<string, unknown> } | undefined;
		expect(toolPart?.state).toBe('output-available');
		expect(toolPart?.input).toEqual({ query: 'I need warm hiking socks', limit: 5 });
		const output = toolPart!.output as {
			data: { name: string; price: number; category: string; description: string; signed_url?: string; scores: { hybrid: number } }[];
			metadata: { search_type: string; total_results: number; weights: { text: number; vector: number } };
		};
		expect(output.metadata).toMatchObject({ search_type: 'hybrid', weights: { text: 0.5, vector: 0.5 } });
		expect(output.metadata.total_results).toBe(output.data.length);
		expect(output.data[0]).toMatchObject({ name: 'Merino Hiking Socks (3 pairs)', category: 'Hiking', price: 36 });
		expect(output.data[0].scores.hybrid).toBeGreaterThan(0);

		const picture = await fetch(new URL(output.data[0].signed_url!, server.baseURL));
		expect(picture.status).toBe(200);
		expect(picture.headers.get('content-type')).toBe('image/png');
		expect(new Uint8Array(await picture.arrayBuffer()).slice(1, 4)).toEqual(new TextEncoder().encode('PNG'));
	});
});
