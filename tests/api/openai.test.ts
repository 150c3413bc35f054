import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import type {
	ChatCompletionChunk,
	ChatCompletionCreateParamsNonStreaming,
	ChatCompletionMessageParam
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, tasks, tools } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { findTask } from '../../src/lib/server/services/tasks';
import { collect, weatherTool } from '../support/openai-chat';
import { signUpWithKey } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';
import { LONG_ANSWER_END } from '../support/text-deltas';

let server: TestServer;
let db: Db;
let alice: OpenAI;
let bob: OpenAI;
let aliceId: string;

/** The official SDK, pointed at the test server. */
function clientFor(apiKey: string): OpenAI {
	return new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey, maxRetries: 0 });
}

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '5' });
	db = await openDatabase({ url: server.databaseUrl });
	const a = await signUpWithKey(server.baseURL, db, 'alice@example.com', 'openai tests');
	const b = await signUpWithKey(server.baseURL, db, 'bob@example.com', 'openai tests');
	aliceId = a.id;
	alice = clientFor(a.key);
	bob = clientFor(b.key);
	await db.insert(agents).values([
		{ slug: 'open-demo', name: 'Open demo', model: 'mock:offline', visibility: 'public' },
		{
			slug: 'ctx-demo',
			name: 'Context demo',
			model: 'mock:offline',
			contextSchema: { type: 'object', required: ['plan'], properties: { plan: { type: 'string', enum: ['free', 'pro'] } } }
		}
	]);
	await db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'current_time'));
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** The text of streamed chunks. */
const textOf = (chunks: ChatCompletionChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

/** The statuses of a task's stored messages, by role. */
async function storedRoles(taskId: string) {
	return (await listMessages(db, taskId)).map((message) => [message.role, message.status]);
}

describe('GET /v1/models', () => {
	it('lists the agents the key may use, by slug', async () => {
		const models = [];
		for await (const model of alice.models.list()) models.push(model);
		expect(models.map((model) => model.id).sort()).toEqual([
			'appointment',
			'assistant',
			'ctx-demo',
			'open-demo',
			'shop',
			'support',
			'tool-demo'
		]);
		for (const model of models) {
			expect(model).toMatchObject({ object: 'model', owned_by: 'parley' });
			expect(model.created).toBeGreaterThan(1_600_000_000);
			expect(model.created).toBeLessThan(Date.now() / 1000 + 1);
		}
	});

	it('shows anonymous callers the public agents only', async () => {
		const response = await fetch(`${server.baseURL}/v1/models`);
		expect(response.status).toBe(200);
		const body = await response.json();
		expect(body.object).toBe('list');
		expect(body.data.map((model: { id: string }) => model.id).sort()).toEqual(['appointment', 'open-demo', 'support']);
	});
});

describe('POST /v1/chat/completions', () => {
	it('streams an answer', async () => {
		const stream = await alice.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Hello from the SDK' }],
			stream: true
		});
		const chunks = await collect(stream);
		expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
		expect(textOf(chunks)).toContain('You said: "Hello from the SDK"');
		expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
		expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
		expect(chunks.every((chunk) => chunk.model === 'assistant' && chunk.object === 'chat.completion.chunk')).toBe(true);
		expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
	});

	it('answers at once without stream', async () => {
		const completion = await alice.chat.completions.create({
			model: 'assistant',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: 'Hello without a stream' }
			]
		});
		expect(completion.object).toBe('chat.completion');
		expect(completion.model).toBe('assistant');
		expect(completion.choices).toHaveLength(1);
		expect(completion.choices[0].finish_reason).toBe('stop');
		expect(completion.choices[0].message.role).toBe('assistant');
		expect(completion.choices[0].message.content).toContain('You said: "Hello without a stream"');
		expect(completion.choices[0].message.tool_calls).toBeUndefined();
		expect(completion.usage?.total_tokens).toBeGreaterThan(0);
	});

	it('accepts the agent’s integer id as the model', async () => {
		const [agent] = await db.select().from(agents).where(eq(agents.slug, 'assistant'));
		const completion = await alice.chat.completions.create({
			model: String(agent.id),
			messages: [{ role: 'user', content: 'By id' }]
		});
		expect(completion.model).toBe('assistant');
	});

	it('adds a usage chunk with stream_options.include_usage', async () => {
		const stream = await alice.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Count my tokens' }],
			stream: true,
			stream_options: { include_usage: true }
		});
		const chunks = await collect(stream);
		const last = chunks.at(-1);
		expect(last?.choices).toEqual([]);
		expect(last?.usage?.total_tokens).toBeGreaterThan(0);
		expect(last?.usage?.total_tokens).toBe((last?.usage?.prompt_tokens ?? 0) + (last?.usage?.completion_tokens ?? 0));
		expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
		expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
	});

	it('reports the reasoning and cached tokens the model reported, as stored on the answer', async () => {
		const { data, response } = await alice.chat.completions
			.create({ model: 'assistant', messages: [{ role: 'user', content: 'Think, then count my tokens' }] })
			.withResponse();
		// The offline model reasons first and reports its cache reads (none).
		const reasoning = data.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
		expect(reasoning).toBeGreaterThan(0);
		expect(reasoning).toBeLessThan(data.usage?.completion_tokens ?? 0);
		expect(data.usage?.prompt_tokens_details).toEqual({ cached_tokens: 0 });
		const [, answer] = await listMessages(db, response.headers.get('x-parley-task-id') ?? '');
		expect(answer).toMatchObject({
			inputTokens: data.usage?.prompt_tokens,
			outputTokens: data.usage?.completion_tokens,
			reasoningTokens: reasoning,
			cachedInputTokens: 0
		});
	});

	it('returns the caller’s tools as tool_calls, and a tool message continues', async () => {
		const question: ChatCompletionMessageParam = { role: 'user', content: 'get weather city=Paris' };
		const first = await alice.chat.completions.create({ model: 'assistant', messages: [question], tools: [weatherTool] }).withResponse();
		const taskId = first.response.headers.get('x-parley-task-id');
		const choice = first.data.choices[0];
		expect(choice.finish_reason).toBe('tool_calls');
		expect(choice.message.tool_calls).toHaveLength(1);
		const call = choice.message.tool_calls?.[0];
		if (call?.type !== 'function') throw new Error('Expected a function call');
		expect(call.function.name).toBe('get_weather');
		expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
		expect(taskId).toBeTruthy();
		expect(await storedRoles(taskId ?? '')).toEqual([
			['user', 'complete'],
			['assistant', 'complete']
		]);

		const second = await alice.chat.completions.create({
			model: 'assistant',
			tools: [weatherTool],
			messages: [question, choice.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature":21,"sky":"clear"}' }]
		});
		expect(second.choices[0].finish_reason).toBe('stop');
		expect(second.choices[0].message.content).toContain('The get_weather tool returned: {"temperature":21,"sky":"clear"}');
	});

	it('continues the same stored answer when the tool results name the task', async () => {
		const question: ChatCompletionMessageParam = { role: 'user', content: 'get weather city=Oslo' };
		const stream = alice.chat.completions.stream({ model: 'assistant', messages: [question], tools: [weatherTool] });
		const paused = await stream.finalChatCompletion();
		const [task] = await db.select().from(tasks).where(eq(tasks.title, 'get weather city=Oslo'));
		const taskId = task.id;
		expect(paused.choices[0].finish_reason).toBe('tool_calls');
		const call = paused.choices[0].message.tool_calls?.[0];
		if (call?.type !== 'function') throw new Error('Expected a function call');
		expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Oslo' });
		const [pausedAnswer] = (await listMessages(db, taskId)).slice(1);

		const continued = await alice.chat.completions
			.create({
				model: 'assistant',
				tools: [weatherTool],
				stream: true,
				metadata: { task_id: taskId },
				messages: [
					question,
					{ role: 'assistant', content: paused.choices[0].message.content, tool_calls: paused.choices[0].message.tool_calls },
					{ role: 'tool', tool_call_id: call.id, content: '{"temperature":4}' }
				]
			})
			.withResponse();
		expect(continued.response.headers.get('x-parley-task-id')).toBe(taskId);
		expect(textOf(await collect(continued.data))).toContain('The get_weather tool returned: {"temperature":4}');

		const stored = await listMessages(db, taskId);
		expect(stored.map((message) => [message.role, message.status])).toEqual([
			['user', 'complete'],
			['assistant', 'complete']
		]);
		expect(stored[1].id).toBe(pausedAnswer.id);
		expect(stored[1].parts.find((part) => part.type === 'tool-get_weather')).toMatchObject({
			state: 'output-available',
			output: { temperature: 4 }
		});
	});

	it('runs the agent’s server tools inside', async () => {
		const completion = await alice.chat.completions.create({
			model: 'tool-demo',
			messages: [{ role: 'user', content: 'calculator expression="6*7"' }]
		});
		expect(completion.choices[0].finish_reason).toBe('stop');
		expect(completion.choices[0].message.tool_calls).toBeUndefined();
		expect(completion.choices[0].message.content).toContain('42');
	});

	it('returns calls that need approval as tool calls, answered with {"approved": …}', async () => {
		const question: ChatCompletionMessageParam = { role: 'user', content: 'What is the current time timezone=UTC' };
		/** Asks, and returns the history that answers the paused call, as an OpenAI client sends it. */
		const pause = async () => {
			const paused = await alice.chat.completions.create({ model: 'tool-demo', messages: [question] }).withResponse();
			expect(paused.data.choices[0].finish_reason).toBe('tool_calls');
			const call = paused.data.choices[0].message.tool_calls?.[0];
			if (call?.type !== 'function') throw new Error('Expected a function call');
			expect(call.function.name).toBe('current_time');
			const history = (approved: boolean): ChatCompletionMessageParam[] => [
				question,
				paused.data.choices[0].message,
				{ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ approved }) }
			];
			return { history, taskId: paused.response.headers.get('x-parley-task-id') };
		};
		const toDeny = await pause();
		const toApprove = await pause();

		// Without a task id, the answer continues the caller's task that waits for that very call.
		const approved = await alice.chat.completions.create({ model: 'tool-demo', messages: toApprove.history(true) }).withResponse();
		expect(approved.response.headers.get('x-parley-task-id')).toBe(toApprove.taskId);
		expect(approved.data.choices[0].message.content).toContain('The current_time tool returned:');
		expect(approved.data.choices[0].message.content).toContain('UTC');

		const denied = await alice.chat.completions.create({ model: 'tool-demo', messages: toDeny.history(false) }).withResponse();
		expect(denied.response.headers.get('x-parley-task-id')).toBe(toDeny.taskId);
		expect(denied.data.choices[0].message.content).toContain('The current_time tool was not run');
	});

	it('stores each request as a task named in X-Parley-Task-Id', async () => {
		const { data, response } = await alice.chat.completions
			.create({
				model: 'assistant',
				messages: [
					{ role: 'developer', content: 'Answer in English.' },
					{ role: 'user', content: 'Store me' }
				]
			})
			.withResponse();
		const taskId = response.headers.get('x-parley-task-id') ?? '';
		const task = await findTask(db, taskId);
		expect(task).toMatchObject({ userId: aliceId, title: 'Store me' });
		const stored = await listMessages(db, taskId);
		expect(stored.map((message) => [message.role, message.status])).toEqual([
			['system', 'complete'],
			['user', 'complete'],
			['assistant', 'complete']
		]);
		expect(stored[0].parts).toEqual([{ type: 'text', text: 'Answer in English.' }]);
		const storedText = stored[2].parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(storedText).toBe(data.choices[0].message.content);
	});

	it('passes images sent as data URLs on as files, and notes the others', async () => {
		const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
		const { data, response } = await alice.chat.completions
			.create({
				model: 'assistant',
				messages: [
					{
						role: 'user',
						content: [
							{ type: 'text', text: 'What is in these pictures?' },
							{ type: 'image_url', image_url: { url: png } },
							{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }
						]
					}
				]
			})
			.withResponse();
		expect(data.choices[0].message.content).toMatch(/I received 1 attachment: .*image/);
		const [question] = await listMessages(db, response.headers.get('x-parley-task-id') ?? '');
		expect(question.parts).toEqual([
			{ type: 'text', text: 'What is in these pictures?' },
			{ type: 'file', mediaType: 'image/png', url: png },
			{
				type: 'text',
				text: '[An image was left out (https://example.com/cat.png): only images sent as data URLs reach the agent.]'
			}
		]);
	});

	it('appends only the new messages to metadata.task_id', async () => {
		const first = await alice.chat.completions
			.create({ model: 'assistant', messages: [{ role: 'user', content: 'First question' }] })
			.withResponse();
		const taskId = first.response.headers.get('x-parley-task-id') ?? '';
		const history: ChatCompletionMessageParam[] = [
			{ role: 'user', content: 'First question' },
			{ role: 'assistant', content: first.data.choices[0].message.content },
			{ role: 'user', content: 'Second question' }
		];
		const second = await alice.chat.completions
			.create({ model: 'assistant', messages: history, metadata: { task_id: taskId } })
			.withResponse();
		expect(second.response.headers.get('x-parley-task-id')).toBe(taskId);
		expect(second.data.choices[0].message.content).toContain('You said: "Second question"');

		const stored = await listMessages(db, taskId);
		expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
		expect(stored[2].parts).toEqual([{ type: 'text', text: 'Second question' }]);

		// The same history again holds nothing new.
		const again = alice.chat.completions.create({ model: 'assistant', messages: history.slice(0, 2), metadata: { task_id: taskId } });
		await expect(again).rejects.toBeInstanceOf(OpenAI.BadRequestError);
		expect((await listMessages(db, taskId)).length).toBe(4);
	});

	it('answers 404 for someone else’s task or an unknown one', async () => {
		const { response } = await alice.chat.completions
			.create({ model: 'assistant', messages: [{ role: 'user', content: 'Mine' }] })
			.withResponse();
		const taskId = response.headers.get('x-parley-task-id') ?? '';
		for (const [client, id] of [
			[bob, taskId],
			[alice, 'no-such-task-id']
		] as const) {
			const error = await client.chat.completions
				.create({ model: 'assistant', messages: [{ role: 'user', content: 'Yours?' }], metadata: { task_id: id } })
				.catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(OpenAI.NotFoundError);
			expect(error).toMatchObject({ status: 404, param: 'metadata.task_id', type: 'invalid_request_error' });
		}
		expect((await listMessages(db, taskId)).length).toBe(2);
	});

	it('stops the answer when the caller aborts the stream, storing it as interrupted', async () => {
		const controller = new AbortController();
		const { data, response } = await alice.chat.completions
			.create(
				{ model: 'assistant', messages: [{ role: 'user', content: 'Write a long answer about rivers' }], stream: true },
				{ signal: controller.signal }
			)
			.withResponse();
		const taskId = response.headers.get('x-parley-task-id') ?? '';
		// Five text deltas in, the caller goes away.
		let received = '';
		let deltas = 0;
		for await (const chunk of data) {
			const content = chunk.choices[0]?.delta.content;
			if (!content) continue;
			received += content;
			if (++deltas === 5) {
				controller.abort();
				break;
			}
		}
		expect(received.split(/\s+/).filter(Boolean)).toHaveLength(5);
		await expect.poll(async () => (await listMessages(db, taskId))[1]?.status, { timeout: 10_000, interval: 50 }).toBe('interrupted');
		const stored = await listMessages(db, taskId);
		const storedText = stored[1].parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(storedText.startsWith(received)).toBe(true);
		expect(storedText).not.toContain(LONG_ANSWER_END);
	});

	it('stops a non-streamed answer when the caller goes away', async () => {
		const title = `Write a long answer about lakes ${crypto.randomUUID().slice(0, 8)}`;
		const controller = new AbortController();
		const request = alice.chat.completions
			.create({ model: 'assistant', messages: [{ role: 'user', content: title }] }, { signal: controller.signal })
			.catch((caught: unknown) => caught);
		const taskId = await expect
			.poll(async () => (await db.select().from(tasks).where(eq(tasks.title, title)))[0]?.id, { timeout: 10_000, interval: 20 })
			.toBeTruthy()
			.then(async () => (await db.select().from(tasks).where(eq(tasks.title, title)))[0].id);
		await expect.poll(async () => (await listMessages(db, taskId))[1]?.status, { interval: 10 }).toBe('streaming');
		controller.abort();
		expect(await request).toBeInstanceOf(OpenAI.APIUserAbortError);
		await expect.poll(async () => (await listMessages(db, taskId))[1]?.status, { timeout: 10_000, interval: 50 }).toBe('interrupted');
	});
});

describe('POST /v1/chat/completions errors', () => {
	it('raises AuthenticationError for an invalid key', async () => {
		const error = await clientFor('pk_not_a_real_key')
			.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'Hi' }] })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
		await expect(clientFor('pk_not_a_real_key').models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
	});

	it('answers 401 in OpenAI’s shape without a key for an agent that is not public', async () => {
		const response = await fetch(`${server.baseURL}/v1/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'assistant', messages: [{ role: 'user', content: 'Hi' }] })
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({
			error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' }
		});
	});

	it('lets anonymous callers use a public agent', async () => {
		const response = await fetch(`${server.baseURL}/v1/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'open-demo', messages: [{ role: 'user', content: 'Hi anonymously' }] })
		});
		expect(response.status).toBe(200);
		const anonymousId = response.headers.get('x-anonymous-id');
		expect(anonymousId).toBeTruthy();
		expect((await response.json()).choices[0].message.content).toContain('You said: "Hi anonymously"');
		const task = await findTask(db, response.headers.get('x-parley-task-id') ?? '');
		expect(task).toMatchObject({ userId: null, anonymousId });
	});

	it('raises NotFoundError for an unknown model', async () => {
		const error = await alice.chat.completions
			.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.NotFoundError);
		expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model', type: 'invalid_request_error' });
	});

	it('raises BadRequestError naming the parameter', async () => {
		const error = await alice.chat.completions.create({ model: 'assistant', messages: [] }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.BadRequestError);
		expect(error).toMatchObject({ status: 400, param: 'messages', type: 'invalid_request_error' });

		const malformed = await fetch(`${server.baseURL}/v1/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.apiKey}` },
			body: '{"model": '
		});
		expect(malformed.status).toBe(400);
		expect(await malformed.json()).toEqual({
			error: { message: 'The request body is not valid JSON.', type: 'invalid_request_error', param: null, code: null }
		});

		const orphan = await alice.chat.completions
			.create({
				model: 'assistant',
				messages: [
					{ role: 'user', content: 'Hi' },
					{ role: 'tool', tool_call_id: 'call_9', content: 'x' }
				]
			})
			.catch((caught: unknown) => caught);
		expect(orphan).toBeInstanceOf(OpenAI.BadRequestError);
		expect(orphan).toMatchObject({ param: 'messages.1.tool_call_id' });
	});

	it('refuses a caller tool named like one of the agent’s tools', async () => {
		const error = await alice.chat.completions
			.create({
				model: 'tool-demo',
				messages: [{ role: 'user', content: 'Hi' }],
				tools: [{ type: 'function', function: { name: 'calculator', parameters: { type: 'object' } } }]
			})
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.BadRequestError);
		expect(error).toMatchObject({ param: 'tools.0.function.name' });
	});

	it('raises UnprocessableEntityError for a context the agent refuses', async () => {
		const params: ChatCompletionCreateParamsNonStreaming & { context: Record<string, unknown> } = {
			model: 'ctx-demo',
			messages: [{ role: 'user', content: 'Hi' }],
			context: { plan: 'gold' }
		};
		const error = await alice.chat.completions.create(params).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.UnprocessableEntityError);
		expect(error).toMatchObject({ status: 422, param: 'context.plan' });

		const valid: typeof params = { ...params, context: { plan: 'pro' } };
		const accepted = await alice.chat.completions.create(valid).withResponse();
		const task = await findTask(db, accepted.response.headers.get('x-parley-task-id') ?? '');
		expect(task?.context).toEqual({ plan: 'pro' });
	});
});

describe('rate limits', () => {
	it('raises RateLimitError with retry-after', async () => {
		const limited = await startServer({ RATE_LIMIT_PER_MINUTE: '1', MOCK_TOKEN_DELAY_MS: '0' });
		try {
			const response = await fetch(`${limited.baseURL}/v1/chat/completions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-anonymous-id': 'anon_ratelimit_1' },
				body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'Hi' }] })
			});
			expect(response.status).not.toBe(429);
			const client = new OpenAI({
				baseURL: `${limited.baseURL}/v1`,
				apiKey: 'unused',
				maxRetries: 0,
				defaultHeaders: { authorization: null, 'x-anonymous-id': 'anon_ratelimit_1' }
			});
			const error = await client.chat.completions
				.create({ model: 'nope', messages: [{ role: 'user', content: 'Hi' }] })
				.catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(OpenAI.RateLimitError);
			expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
			expect(Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after'))).toBeGreaterThan(0);
		} finally {
			await limited.stop();
		}
	});
});

describe('other /v1 paths', () => {
	it('retrieves one model, and answers unknown paths and models in OpenAI’s shape', async () => {
		expect(await alice.models.retrieve('tool-demo')).toMatchObject({ id: 'tool-demo', object: 'model', owned_by: 'parley' });
		await expect(alice.models.retrieve('no-such-agent')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
		const response = await fetch(`${server.baseURL}/v1/embeddings`, {
			method: 'POST',
			headers: { authorization: `Bearer ${alice.apiKey}`, 'content-type': 'application/json' },
			body: '{}'
		});
		expect(response.status).toBe(404);
		const body = await response.json();
		expect(body.error.message).toContain('/v1/embeddings');
		expect(typeof body.error.type).toBe('string');
	});
});
