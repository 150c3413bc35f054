/**
 * Usage from every provider, on its own wire format: a fake provider reports input 100 (40 of
 * them cached) and output 50 (30 of them reasoning) as that provider does; Parley stores the counts
 * with the answer and reports them in OpenAI's shape on `/v1/chat/completions`, streamed or not.
 */
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { signUpWithKey } from '../support/api-user';
import { startFakeProvider, type FakeProvider, type ProviderKind } from '../support/fake-providers';
import { startServer, type TestServer } from '../support/server';

const KEY = 'sk-fake-key-0123456789';
const REPORTED = { input: 100, output: 50, reasoning: 30, cachedInput: 40 };

interface Case {
	name: string;
	kind: ProviderKind;
	/** The agent's model, `provider:model`. */
	model: string;
	/** The server's settings for a fake at `baseURL`. */
	env(baseURL: string): Record<string, string>;
	/** Reasoning tokens as the provider reports them (Anthropic does not count them apart). */
	reasoningTokens: number | null;
}

const CASES: Case[] = [
	{
		name: 'OpenAI Responses',
		kind: 'openai-responses',
		model: 'openai:gpt-5-mini',
		env: (baseURL) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseURL }),
		reasoningTokens: 30
	},
	{
		name: 'OpenAI Chat Completions',
		kind: 'openai-chat',
		model: 'openai:gpt-4.1-mini',
		env: (baseURL) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: baseURL, OPENAI_API_MODE: 'chat' }),
		reasoningTokens: 30
	},
	{
		name: 'OpenAI-compatible',
		kind: 'openai-chat',
		model: 'compatible:qwen3-8b',
		env: (baseURL) => ({ OPENAI_COMPATIBLE_BASE_URL: baseURL, OPENAI_COMPATIBLE_API_KEY: KEY }),
		reasoningTokens: 30
	},
	{
		name: 'Anthropic',
		kind: 'anthropic',
		model: 'anthropic:claude-sonnet-4-5',
		env: (baseURL) => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: baseURL }),
		reasoningTokens: null
	},
	{
		name: 'Google Gemini',
		kind: 'google',
		model: 'google:gemini-2.5-flash',
		env: (baseURL) => ({ GOOGLE_GENERATIVE_AI_API_KEY: KEY, GOOGLE_GENERATIVE_AI_BASE_URL: baseURL }),
		reasoningTokens: 30
	}
];

describe.each(CASES)('usage from $name', (c) => {
	let fake: FakeProvider;
	let server: TestServer;
	let db: Db;
	let client: OpenAI;

	beforeAll(async () => {
		fake = await startFakeProvider(c.kind, { apiKey: KEY });
		server = await startServer(c.env(fake.baseURL));
		db = await openDatabase({ url: server.databaseUrl });
		const user = await signUpWithKey(server.baseURL, db, 'usage@example.com', 'usage tests');
		client = new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: user.key, maxRetries: 0 });
		await db.insert(agents).values({ slug: 'counted', name: 'Counted', model: c.model, visibility: 'users' });
	}, 60_000);

	afterAll(async () => {
		db?.$client.close();
		await server?.stop();
		await fake?.close();
	});

	/** The usage in OpenAI's shape: the details only where the provider reported the count. */
	const expectedUsage: CompletionUsage = {
		prompt_tokens: 100,
		completion_tokens: 50,
		total_tokens: 150,
		prompt_tokens_details: { cached_tokens: 40 },
		...(c.reasoningTokens === null ? {} : { completion_tokens_details: { reasoning_tokens: c.reasoningTokens } })
	};

	/** The answer stored in the task the response names. */
	async function storedAnswer(taskId: string | null) {
		const messages = await listMessages(db, taskId ?? '');
		expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
		return messages[1];
	}

	it('stores the counts with the answer and reports them on a completion', async () => {
		fake.enqueue({ text: 'Counted.', usage: REPORTED });
		const { data, response } = await client.chat.completions
			.create({ model: 'counted', messages: [{ role: 'user', content: 'Count this' }] })
			.withResponse();
		expect(data.choices[0].message.content).toBe('Counted.');
		expect(data.usage).toStrictEqual(expectedUsage);
		expect(await storedAnswer(response.headers.get('x-parley-task-id'))).toMatchObject({
			status: 'complete',
			model: c.model,
			inputTokens: 100,
			outputTokens: 50,
			reasoningTokens: c.reasoningTokens,
			cachedInputTokens: 40
		});
	});

	it('reports them in the usage chunk of a stream', async () => {
		fake.enqueue({ text: 'Counted again.', usage: REPORTED });
		const { data: stream, response } = await client.chat.completions
			.create({
				model: 'counted',
				messages: [{ role: 'user', content: 'Count this stream' }],
				stream: true,
				stream_options: { include_usage: true }
			})
			.withResponse();
		const chunks: ChatCompletionChunk[] = [];
		for await (const chunk of stream) chunks.push(chunk);
		expect(chunks.at(-1)?.usage).toStrictEqual(expectedUsage);
		expect(await storedAnswer(response.headers.get('x-parley-task-id'))).toMatchObject({
			reasoningTokens: c.reasoningTokens,
			cachedInputTokens: 40
		});
	});
});
