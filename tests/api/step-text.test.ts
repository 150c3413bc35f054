import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';
import { parseSse } from '../support/streams';

/**
 * The faces that send an answer as one text join the texts of its steps as the chat shows them:
 * the offline model's text before a tool call ("Let me use the calculator tool.") and its text
 * after the result are separated by a blank line.
 */

const PROMPT = 'calculator expression="6*7"';
const EXPECTED = 'Let me use the calculator tool.\n\nThe calculator tool returned: {"expression":"6*7","result":42}.';

let server: TestServer;
let db: Db;
let key: string;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' }, { entry: 'ws' });
	db = await openDatabase({ url: server.databaseUrl });
	await signUp(server.baseURL, 'steps@example.com');
	const [user] = await db.select().from(users).where(eq(users.email, 'steps@example.com'));
	key = (await createApiKey(db, user.id, 'step text tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Posts JSON with the key. */
function post(path: string, body: unknown): Promise<Response> {
	return fetch(`${server.baseURL}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

describe('the texts of an answer’s steps', () => {
	it('are separated on /v1/chat/completions, streamed and not', async () => {
		const client = new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: key, maxRetries: 0 });
		const messages = [{ role: 'user' as const, content: PROMPT }];
		const completion = await client.chat.completions.create({ model: 'tool-demo', messages });
		expect(completion.choices[0].message.content).toBe(EXPECTED);

		const chunks: ChatCompletionChunk[] = [];
		for await (const chunk of await client.chat.completions.create({ model: 'tool-demo', messages, stream: true })) chunks.push(chunk);
		expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(EXPECTED);
	});

	it('are separated on the agent API, streamed and not', async () => {
		const stream = await post('/api/agent/stream/', { message: PROMPT, agent_id: 'tool-demo' });
		const events = parseSse(await stream.text());
		const text = events
			.filter((event) => event.event === 'text_delta')
			.map((event) => event.data.delta)
			.join('');
		expect(text).toBe(EXPECTED);

		const chat = await post('/api/agent/chat/', { message: PROMPT, agent_id: 'tool-demo' });
		expect(await chat.json()).toMatchObject({ status: 'completed', text: EXPECTED });
	});

	it('are separated on the WebSocket chat, in its chunks and its final message', async () => {
		const url = new URL('/ws/chat/', server.baseURL.replace('http:', 'ws:'));
		url.searchParams.set('key', key);
		url.searchParams.set('agent', 'tool-demo');
		const socket = new WebSocket(url);
		await new Promise((resolve, reject) => {
			socket.once('open', resolve);
			socket.once('error', reject);
		});
		const frames: { type: string; message: string }[] = [];
		const done = new Promise<void>((resolve) =>
			socket.on('message', (data) => {
				const frame = JSON.parse(data.toString());
				frames.push(frame);
				if (frame.type === 'message' || frame.type === 'error') resolve();
			})
		);
		socket.send(JSON.stringify({ type: 'message', role: 'user', message: PROMPT, timestamp: new Date().toISOString() }));
		await done;
		socket.close();
		expect(frames.at(-1)).toMatchObject({ type: 'message', message: EXPECTED });
		expect(
			frames
				.filter((frame) => frame.type === 'chunk')
				.map((frame) => frame.message)
				.join('')
		).toBe(EXPECTED);
	});
});
