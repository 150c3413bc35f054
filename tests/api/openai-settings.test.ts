import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { tasks } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { collect, weatherTool } from '../support/openai-chat';
import { signUpWithKey } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Db;
let client: OpenAI;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
	db = await openDatabase({ url: server.databaseUrl });
	const user = await signUpWithKey(server.baseURL, db, 'settings@example.com', 'settings tests');
	client = new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: user.key, maxRetries: 0 });
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

describe('POST /v1/chat/completions: tool_choice', () => {
	it('calls no tool with "none", for a message that would call one', async () => {
		const messages = [{ role: 'user' as const, content: 'get_weather city="Paris"' }];
		const auto = await client.chat.completions.create({ model: 'assistant', messages, tools: [weatherTool] });
		expect(auto.choices[0].finish_reason).toBe('tool_calls');

		const none = await client.chat.completions.create({ model: 'assistant', messages, tools: [weatherTool], tool_choice: 'none' });
		expect(none.choices[0].finish_reason).toBe('stop');
		expect(none.choices[0].message.tool_calls).toBeUndefined();
		expect(none.choices[0].message.content).toContain('You said');
	});

	it('runs none of the agent’s own tools with "none"', async () => {
		const { data: completion, response } = await client.chat.completions
			.create({
				model: 'tool-demo',
				messages: [{ role: 'user', content: 'calculator expression="6*7"' }],
				tool_choice: 'none'
			})
			.withResponse();
		expect(completion.choices[0].message.content).not.toContain('42');
		const messages = await listMessages(db, response.headers.get('x-parley-task-id')!);
		expect(messages.at(-1)?.parts.some((part) => part.type.startsWith('tool-'))).toBe(false);
	});

	it('forces a named function for a message that asks for none', async () => {
		const response = await client.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Hello there' }],
			tools: [weatherTool],
			tool_choice: { type: 'function', function: { name: 'get_weather' } }
		});
		expect(response.choices[0].finish_reason).toBe('tool_calls');
		const [call] = response.choices[0].message.tool_calls ?? [];
		expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
		expect(JSON.parse(call.type === 'function' ? call.function.arguments : '{}')).toHaveProperty('city');
	});

	it('forces an agent’s server tool with "required" on the first call, then answers with its result', async () => {
		const stream = await client.chat.completions.create({
			model: 'tool-demo',
			messages: [{ role: 'user', content: 'What time is it?' }],
			tool_choice: { type: 'function', function: { name: 'current_time' } },
			stream: true
		});
		const chunks = await collect(stream);
		expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
		expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toContain('current_time');
	});

	it('answers 400 naming tool_choice for a function that does not exist, and stores nothing', async () => {
		const before = await taskCount();
		const error = await client.chat.completions
			.create({
				model: 'assistant',
				messages: [{ role: 'user', content: 'Hi' }],
				tools: [weatherTool],
				tool_choice: { type: 'function', function: { name: 'get_time' } }
			})
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.BadRequestError);
		expect(error).toMatchObject({ status: 400, param: 'tool_choice' });
		expect(await taskCount()).toBe(before);
	});

	it('answers 400 naming tool_choice for a value OpenAI does not define', async () => {
		const error = await client.chat.completions
			.create({ model: 'assistant', messages: [{ role: 'user', content: 'Hi' }], tool_choice: 'always' as never })
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({ status: 400, param: 'tool_choice' });
	});
});

describe('POST /v1/chat/completions: response_format', () => {
	const schema = {
		type: 'object',
		properties: { city: { type: 'string' }, population: { type: 'integer' }, sights: { type: 'array', items: { type: 'string' } } },
		required: ['city', 'population', 'sights'],
		additionalProperties: false
	};

	it('answers JSON matching a json_schema, streamed as content deltas', async () => {
		const stream = await client.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Describe Lyon' }],
			response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } },
			stream: true
		});
		const chunks = await collect(stream);
		const deltas = chunks.flatMap((chunk) => (chunk.choices[0]?.delta.content ? [chunk.choices[0].delta.content] : []));
		expect(deltas.length).toBeGreaterThan(1);
		const value = JSON.parse(deltas.join(''));
		expect(value).toStrictEqual({ city: 'Describe Lyon', population: 1, sights: ['Describe Lyon'] });
	});

	it('answers a JSON object with json_object', async () => {
		const response = await client.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Reply in JSON' }],
			response_format: { type: 'json_object' }
		});
		expect(JSON.parse(response.choices[0].message.content ?? '')).toBeTypeOf('object');
	});

	it('answers text with text', async () => {
		const response = await client.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Hello there' }],
			response_format: { type: 'text' }
		});
		expect(response.choices[0].message.content).toContain('You said');
	});

	it('answers 400 naming the field of a malformed response_format', async () => {
		const error = await client.chat.completions
			.create({
				model: 'assistant',
				messages: [{ role: 'user', content: 'Hi' }],
				response_format: { type: 'json_schema', json_schema: { name: 'not a name!', schema } }
			})
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({ status: 400, param: 'response_format.json_schema.name' });
	});
});

describe('POST /v1/chat/completions: max_tokens and temperature', () => {
	it('cuts the answer at max_tokens with finish_reason "length"', async () => {
		const full = await client.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'Hello there' }] });
		const cut = await client.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Hello there' }],
			max_tokens: 10
		});
		expect(cut.choices[0].finish_reason).toBe('length');
		expect(cut.usage?.completion_tokens).toBeLessThanOrEqual(10);
		expect(full.choices[0].message.content?.startsWith(cut.choices[0].message.content ?? '')).toBe(true);
		expect((cut.choices[0].message.content ?? '').length).toBeLessThan((full.choices[0].message.content ?? '').length);
	});

	it('takes max_completion_tokens too, and a temperature', async () => {
		const cut = await client.chat.completions.create({
			model: 'assistant',
			messages: [{ role: 'user', content: 'Hello there' }],
			max_completion_tokens: 10,
			temperature: 0.3
		});
		expect(cut.choices[0].finish_reason).toBe('length');
	});

	it('answers 400 naming max_tokens or temperature for a bad value', async () => {
		const messages = [{ role: 'user' as const, content: 'Hi' }];
		await expect(client.chat.completions.create({ model: 'assistant', messages, max_tokens: 0 })).rejects.toMatchObject({
			status: 400,
			param: 'max_tokens'
		});
		await expect(client.chat.completions.create({ model: 'assistant', messages, temperature: 5 })).rejects.toMatchObject({
			status: 400,
			param: 'temperature'
		});
	});
});

/** How many tasks are stored. */
async function taskCount(): Promise<number> {
	return (await db.select({ id: tasks.id }).from(tasks)).length;
}
