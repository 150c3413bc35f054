/**
 * Every model provider behind Parley's public faces, each on its own wire format: a fake provider
 * (tests/support/fake-providers) stands in for the real API, a built Parley server is pointed at
 * it by its base-URL setting, and callers use the faces as anyone would — the official `openai`
 * SDK on `/v1`, plain `fetch` on the agent API. The fake records what Parley sent, so each test
 * checks both sides: what the caller saw and stored, and what reached the provider.
 */
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, type Message } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { collect, weatherTool } from '../support/openai-chat';
import { signUpWithKey, type ApiUser } from '../support/api-user';
import { startFakeProvider, type FakeProvider, type ProviderKind } from '../support/fake-providers';
import { startServer, type TestServer } from '../support/server';
import { parseSse } from '../support/streams';

const API_KEY = 'sk-fake-provider-key-0123456789';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
/** The parts of a stored message. */
type StoredPart = Message['parts'][number];

/** What each provider is, how Parley is pointed at it, and how its own wire format shows things. */
interface Setup {
	name: string;
	kind: ProviderKind;
	/** The agents' model id, and `DEFAULT_MODEL`. */
	model: string;
	/** How errors name it. */
	label: string;
	/** The settings that point Parley at the fake. */
	env(fake: FakeProvider): Record<string, string>;
	/** The reasoning options a `reasoning: 'low'` agent sends, as they appear in the request body. */
	reasoningRequest(body: Json): void;
	/** The caller's tool result as the provider's request carries it (parsed to JSON), for a call id and tool name. */
	toolResult(body: Json, callId: string, name: string): unknown;
	/**
	 * Checks that the request after a tool call replays the stored reasoning with what the provider
	 * needs back (a signature, an encrypted item); `answer` holds the parts stored for that step.
	 */
	replayedReasoning?(body: Json, answer: StoredPart[]): void;
	/** The message of the provider's own error mid-stream (`midStreamError: 'provider'` of the fake). */
	midStreamError: string;
	/** Reasoning tokens as stored, for a provider that reported 30 (Anthropic reports none). */
	storedReasoningTokens: number | null;
	/** Whether the caller-disconnect and shutdown tests run on this provider. */
	lifeCycle?: boolean;
}

/** The stored reasoning part of an answer, with its provider metadata. */
function reasoningPart(answer: StoredPart[]): Json {
	const part = answer.find((candidate) => candidate.type === 'reasoning');
	expect(part, 'a stored reasoning part').toBeDefined();
	return part;
}

/** The stored tool part of an answer. */
function toolPart(answer: StoredPart[]): Json {
	const part = answer.find((candidate) => candidate.type.startsWith('tool-'));
	expect(part, 'a stored tool part').toBeDefined();
	return part;
}

/** A Chat Completions request's tool result: a `tool` message naming the call. */
function chatToolResult(body: Json, callId: string): unknown {
	const message = body.messages.find((candidate: Json) => candidate.role === 'tool' && candidate.tool_call_id === callId);
	return JSON.parse(message.content);
}

const SETUPS: Setup[] = [
	{
		name: 'OpenAI Responses',
		kind: 'openai-responses',
		model: 'openai:gpt-5-mini',
		label: 'OpenAI',
		env: (fake) => ({ OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.baseURL }),
		reasoningRequest(body) {
			expect(body.reasoning).toEqual({ effort: 'low', summary: 'auto' });
			expect(body.include).toContain('reasoning.encrypted_content');
			expect(body.store).toBe(false);
		},
		toolResult(body, callId) {
			const output = body.input.find((item: Json) => item.type === 'function_call_output' && item.call_id === callId);
			return JSON.parse(output.output);
		},
		replayedReasoning(body, answer) {
			const { openai } = reasoningPart(answer).providerMetadata;
			expect(openai.reasoningEncryptedContent).toMatch(/^gAAAAAB/);
			expect(body.input).toContainEqual(
				expect.objectContaining({ type: 'reasoning', id: openai.itemId, encrypted_content: openai.reasoningEncryptedContent })
			);
		},
		midStreamError: 'OpenAI stopped the answer with an error (server_error). Try again.',
		storedReasoningTokens: 30,
		lifeCycle: true
	},
	{
		name: 'OpenAI Chat Completions',
		kind: 'openai-chat',
		model: 'openai:gpt-5-mini',
		label: 'OpenAI',
		env: (fake) => ({ OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.baseURL, OPENAI_API_MODE: 'chat' }),
		reasoningRequest(body) {
			expect(body.reasoning_effort).toBe('low');
			expect(body.stream_options).toEqual({ include_usage: true });
		},
		toolResult: chatToolResult,
		midStreamError: 'OpenAI stopped the answer with an error (server_error). Try again.',
		storedReasoningTokens: 30
	},
	{
		name: 'Anthropic',
		kind: 'anthropic',
		model: 'anthropic:claude-sonnet-4-5',
		label: 'Anthropic',
		env: (fake) => ({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.baseURL }),
		reasoningRequest(body) {
			expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
			expect(body.max_tokens).toBeGreaterThan(1024);
			expect(body.temperature).toBeUndefined();
		},
		toolResult(body, callId) {
			const result = body.messages.at(-1).content.find((part: Json) => part.type === 'tool_result' && part.tool_use_id === callId);
			return JSON.parse(result.content);
		},
		replayedReasoning(body, answer) {
			const { signature } = reasoningPart(answer).providerMetadata.anthropic;
			expect(signature).toMatch(/^[A-Za-z0-9+/]{100,}=*$/);
			const assistant = body.messages.find((message: Json) => message.role === 'assistant');
			expect(assistant.content[0]).toMatchObject({ type: 'thinking', signature });
		},
		midStreamError: 'Anthropic is overloaded (overloaded_error) and stopped the answer. Try again shortly.',
		storedReasoningTokens: null,
		lifeCycle: true
	},
	{
		name: 'Google Gemini',
		kind: 'google',
		model: 'google:gemini-2.5-flash',
		label: 'Google',
		env: (fake) => ({ GOOGLE_GENERATIVE_AI_API_KEY: API_KEY, GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL }),
		reasoningRequest(body) {
			expect(body.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 1024, includeThoughts: true });
		},
		toolResult(body, _callId, name) {
			const part = body.contents.at(-1).parts.find((candidate: Json) => candidate.functionResponse?.name === name);
			return part.functionResponse.response.content;
		},
		replayedReasoning(body, answer) {
			const call = toolPart(answer);
			const signature = call.callProviderMetadata.google.thoughtSignature;
			expect(signature).toMatch(/^[A-Za-z0-9+/]{100,}=*$/);
			const model = body.contents.find((content: Json) => content.role === 'model');
			expect(model.parts).toContainEqual(
				expect.objectContaining({ functionCall: expect.objectContaining({ name: 'get_weather' }), thoughtSignature: signature })
			);
		},
		// The AI SDK passes Gemini's error chunk over; what it reports is the connection cut after it.
		midStreamError: 'The connection to Google was lost (terminated). Try again.',
		storedReasoningTokens: 30
	},
	{
		name: 'OpenAI-compatible',
		kind: 'openai-chat',
		model: 'compatible:qwen3-8b',
		label: 'OpenAI-compatible',
		env: (fake) => ({ OPENAI_COMPATIBLE_BASE_URL: fake.baseURL, OPENAI_COMPATIBLE_API_KEY: API_KEY }),
		reasoningRequest(body) {
			expect(body.reasoning_effort).toBe('low');
			expect(body.stream_options).toEqual({ include_usage: true });
		},
		toolResult: chatToolResult,
		midStreamError: 'OpenAI-compatible stopped the answer with an error (server_error). Try again.',
		storedReasoningTokens: 30
	}
];

/** Token counts every fake answer reports; 40 of the input were cached, 30 of the output reasoning. */
const USAGE = { input: 100, output: 50, reasoning: 30, cachedInput: 40 };

const textOfChunks = (chunks: ChatCompletionChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
const textOfParts = (parts: StoredPart[]) => parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

describe.each(SETUPS)('$name behind the public faces', (setup) => {
	let fake: FakeProvider;
	let server: TestServer;
	/** The first server, whose data a restart keeps. */
	let firstServer: TestServer | undefined;
	let db: Db;
	let admin: ApiUser;
	let client: OpenAI;

	const env = () => ({ ...setup.env(fake), DEFAULT_MODEL: setup.model });

	beforeAll(async () => {
		fake = await startFakeProvider(setup.kind, { apiKey: API_KEY });
		server = await startServer(env());
		db = await openDatabase({ url: server.databaseUrl });
		// The first account is the admin.
		admin = await signUpWithKey(server.baseURL, db, 'admin@example.com', 'provider tests');
		client = new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: admin.key, maxRetries: 0 });
		await db.insert(agents).values([
			{ slug: 'plain', name: 'Plain', model: setup.model },
			{ slug: 'thinker', name: 'Thinker', model: setup.model, reasoning: 'low' }
		]);
	});

	afterAll(async () => {
		db?.$client.close();
		await server?.stop();
		firstServer?.cleanup();
		await fake?.close();
	});

	/** The stored answer of a task (its last assistant message). */
	async function storedAnswer(taskId: string) {
		const answer = (await listMessages(db, taskId)).filter((message) => message.role === 'assistant').at(-1);
		if (!answer) throw new Error(`No stored answer on task ${taskId}`);
		return answer;
	}

	it('answers through /v1 with and without streaming, with the provider’s token counts', async () => {
		fake.enqueue({ text: 'The quick brown fox jumps over the lazy dog.', usage: USAGE });
		const streamed = await client.chat.completions
			.create({
				model: 'plain',
				messages: [{ role: 'user', content: 'Say something streamed.' }],
				stream: true,
				stream_options: { include_usage: true }
			})
			.withResponse();
		const chunks = await collect(streamed.data);
		expect(textOfChunks(chunks)).toBe('The quick brown fox jumps over the lazy dog.');
		expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThanOrEqual(3);
		expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 });
		const streamedTask = streamed.response.headers.get('x-parley-task-id') ?? '';
		expect(await storedAnswer(streamedTask)).toMatchObject({
			status: 'complete',
			inputTokens: 100,
			outputTokens: 50,
			reasoningTokens: setup.storedReasoningTokens,
			cachedInputTokens: 40
		});

		fake.enqueue({ text: 'All at once, then.', usage: USAGE });
		const completion = await client.chat.completions.create({
			model: 'plain',
			messages: [{ role: 'user', content: 'Say something whole.' }]
		});
		expect(completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant', content: 'All at once, then.' } });
		expect(completion.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 });

		// Both reached the provider with the key, and an agent without reasoning asked for none.
		const [first, second] = fake.modelRequests().slice(-2);
		expect(JSON.stringify(first.body)).toContain('Say something streamed.');
		expect(JSON.stringify(second.body)).toContain('Say something whole.');
		expect(JSON.stringify(first.headers)).toContain(API_KEY);
		expect(JSON.stringify(first.body)).not.toMatch(/reasoning_effort|"thinking"|thinkingConfig|"reasoning":\{/);
	});

	it('continues a client-tool call over /v1 and sends the tool result, with the reasoning replayed', async () => {
		const before = fake.modelRequests().length;
		fake.enqueue(
			{
				reasoning: 'The user asks about Oslo, so I should look up its weather.',
				toolCalls: [{ name: 'get_weather', input: { city: 'Oslo' } }]
			},
			{ text: 'It is 21 degrees and clear in Oslo.' }
		);
		const question: ChatCompletionMessageParam = { role: 'user', content: 'What is the weather in Oslo?' };
		const paused = await client.chat.completions.create({ model: 'thinker', messages: [question], tools: [weatherTool] }).withResponse();
		const taskId = paused.response.headers.get('x-parley-task-id') ?? '';
		const choice = paused.data.choices[0];
		expect(choice.finish_reason).toBe('tool_calls');
		const call = choice.message.tool_calls?.[0];
		if (call?.type !== 'function') throw new Error('Expected a function call');
		expect(call.function.name).toBe('get_weather');
		expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Oslo' });

		const firstRequest = fake.modelRequests()[before];
		setup.reasoningRequest(firstRequest.body);
		expect(JSON.stringify(firstRequest.body)).toContain('get_weather');
		const pausedAnswer = await storedAnswer(taskId);

		const continued = await client.chat.completions
			.create({
				model: 'thinker',
				tools: [weatherTool],
				// The caller's own tools are answered in the task that asked for them.
				metadata: { task_id: taskId },
				messages: [question, choice.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature":21,"sky":"clear"}' }]
			})
			.withResponse();
		expect(continued.response.headers.get('x-parley-task-id')).toBe(taskId);
		expect(continued.data.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'It is 21 degrees and clear in Oslo.' } });

		await fake.waitForRequests(before + 2);
		const next = fake.modelRequests()[before + 1].body;
		expect(setup.toolResult(next, call.id, 'get_weather')).toEqual({ temperature: 21, sky: 'clear' });
		setup.replayedReasoning?.(next, pausedAnswer.parts);
		setup.reasoningRequest(next);
		expect(await storedAnswer(taskId)).toMatchObject({ id: pausedAnswer.id, status: 'complete' });
	});

	it('reports a provider error in the agent API’s shape, naming the provider, and stores it', async () => {
		fake.enqueue({ httpError: { status: 401 } });
		const response = await admin.api('/api/agent/stream/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: 'Hello?', agent_id: 'plain' })
		});
		expect(response.status).toBe(200);
		const events = parseSse<Json>(await response.text());
		const error = events.find((event) => event.event === 'error');
		expect(error?.data).toEqual({
			code: 'upstream',
			message: expect.stringMatching(new RegExp(`^${setup.label} rejected the API key \\(HTTP 401`))
		});
		const done = events.at(-1);
		expect(done).toMatchObject({ event: 'done', data: { status: 'error' } });
		const answer = await storedAnswer(done?.data.session_id);
		expect(answer.status).toBe('error');
		expect(answer.error).toBe(error?.data.message);
	});

	it('reports an error mid-stream in OpenAI’s shape on /v1, and stores it with the partial text', async () => {
		fake.enqueue({ text: 'These words arrive before the provider fails.', midStreamError: 'provider' });
		const { data, response } = await client.chat.completions
			.create({ model: 'plain', messages: [{ role: 'user', content: 'Fail halfway.' }], stream: true })
			.withResponse();
		const taskId = response.headers.get('x-parley-task-id') ?? '';
		let streamed = '';
		const failure = await (async () => {
			try {
				for await (const chunk of data) streamed += chunk.choices[0]?.delta.content ?? '';
			} catch (error) {
				return error;
			}
		})();
		expect(failure).toBeInstanceOf(OpenAI.APIError);
		const message = (failure as InstanceType<typeof OpenAI.APIError>).message;
		expect(message).toBe(setup.midStreamError);
		expect(streamed).toBe('These words arrive before the provider fails.');
		const answer = await storedAnswer(taskId);
		expect(answer).toMatchObject({ status: 'error', error: message });
		expect(textOfParts(answer.parts)).toBe(streamed);
	});

	it('gives a new agent DEFAULT_MODEL when POST /api/agents names no model', async () => {
		const response = await admin.api('/api/agents/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ slug: 'defaulted', name: 'Defaulted' })
		});
		expect(response.status).toBe(201);
		expect((await response.json()).model).toBe(setup.model);
		const [stored] = await db.select().from(agents).where(eq(agents.slug, 'defaulted'));
		expect(stored.model).toBe(setup.model);
	});

	if (setup.lifeCycle) {
		/** Starts a /v1 stream the fake never finishes, and reads it until the first words arrived. */
		async function hangingStream(question: string) {
			fake.enqueue({ text: 'Partial words before the provider goes quiet.', hang: true });
			const count = fake.modelRequests().length;
			const { data, response } = await client.chat.completions
				.create({ model: 'plain', messages: [{ role: 'user', content: question }], stream: true })
				.withResponse();
			const taskId = response.headers.get('x-parley-task-id') ?? '';
			const iterator = data[Symbol.asyncIterator]();
			let seen = '';
			while (!seen) {
				const next = await iterator.next();
				if (next.done) throw new Error('The stream ended before any text');
				seen += next.value.choices[0]?.delta.content ?? '';
			}
			await fake.waitForRequests(count + 1);
			// Its place among all the requests the fake received, as `waitForClientClose` counts them.
			const index = fake.requests.indexOf(fake.modelRequests()[count]);
			return { stream: data, iterator, taskId, seen, index };
		}

		it('closes the upstream connection when the /v1 caller goes away, and stores the answer as interrupted', async () => {
			const { stream, taskId, seen, index } = await hangingStream('Start and I will leave.');
			stream.controller.abort();
			await fake.waitForClientClose(index);
			expect(fake.requests[index].closedByClient).toBe(true);
			await vi.waitFor(async () => expect((await storedAnswer(taskId)).status).toBe('interrupted'), { timeout: 10_000 });
			expect(textOfParts((await storedAnswer(taskId)).parts)).toBe(seen);
		});

		it('closes the upstream connection on shutdown; after a restart the answer reads as interrupted with its partial text', async () => {
			const { iterator, taskId, seen, index } = await hangingStream('Start before the server stops.');
			// The caller reads on while the server stops: its stream ends, cut short.
			const rest = (async () => {
				try {
					while (!(await iterator.next()).done);
				} catch {
					// a connection cut short
				}
			})();
			firstServer = server;
			const stopped = server.stop({ keepData: true });
			// The provider sees its connection close while the server winds down.
			await fake.waitForClientClose(index);
			await rest;
			await stopped;

			server = await startServer({ ...env(), DATABASE_URL: firstServer.databaseUrl });
			const answer = await storedAnswer(taskId);
			expect(answer.status).toBe('interrupted');
			expect(textOfParts(answer.parts)).toBe(seen);
		});
	}
});
