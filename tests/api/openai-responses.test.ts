/**
 * `/v1/responses` (OpenAI Responses / Open Responses) against the built server, with the official
 * `openai` package and the AI SDK's default OpenAI provider, as callers use them.
 *
 * A run that fails mid-answer needs a model that fails: the offline model never does, so an
 * OpenAI-compatible provider stands in, served by this file on a loopback port.
 */
import type { Server } from 'node:http';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool, type ModelMessage } from 'ai';
import { eq, inArray } from 'drizzle-orm';
import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import OpenAI from 'openai';
import type { Response as OpenAIResponse, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, responses, tools } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { findTask } from '../../src/lib/server/services/tasks';
import { failingProvider } from '../support/failing-provider';
import { signUpWithKey } from '../support/api-user';
import { freePort, startServer, type TestServer } from '../support/server';

let server: TestServer;
let provider: Server;
let db: Db;
let alice: OpenAI;
let bob: OpenAI;
let aliceKey: string;

/** A one-pixel PNG, as a data URL. */
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The official SDK, pointed at the test server. */
function clientFor(apiKey: string): OpenAI {
	return new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey, maxRetries: 0 });
}

beforeAll(async () => {
	const providerPort = await freePort();
	provider = failingProvider();
	await new Promise<void>((resolve) => provider.listen(providerPort, '127.0.0.1', resolve));
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '5', OPENAI_COMPATIBLE_BASE_URL: `http://127.0.0.1:${providerPort}/v1` });
	db = await openDatabase({ url: server.databaseUrl });
	const a = await signUpWithKey(server.baseURL, db, 'alice@example.com', 'responses tests');
	const b = await signUpWithKey(server.baseURL, db, 'bob@example.com', 'responses tests');
	aliceKey = a.key;
	alice = clientFor(a.key);
	bob = clientFor(b.key);
	await db.insert(agents).values([
		{ slug: 'flaky', name: 'Flaky', model: 'compatible:flaky' },
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
	await new Promise<void>((resolve) => (provider ? provider.close(() => resolve()) : resolve()));
});

const weatherTool = {
	type: 'function' as const,
	name: 'get_weather',
	description: 'The weather in a city.',
	parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
	strict: false
};

/** The task a response was stored in, from the response header. */
async function createWithTask(client: OpenAI, params: OpenAI.Responses.ResponseCreateParamsNonStreaming) {
	const { data, response } = await client.responses.create(params).withResponse();
	return { response: data, taskId: response.headers.get('x-parley-task-id') ?? '' };
}

/** The raw SSE events of a streamed request, read with a real SSE parser. */
async function rawEvents(body: Record<string, unknown>): Promise<EventSourceMessage[]> {
	const response = await fetch(`${server.baseURL}/v1/responses`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceKey}` },
		body: JSON.stringify({ ...body, stream: true })
	});
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toContain('text/event-stream');
	const events: EventSourceMessage[] = [];
	const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		events.push(value);
	}
	return events;
}

/** Checks a stream's framing: each event's `event:` is its type, sequence numbers strictly increase, `[DONE]` ends it. */
function checkFraming(events: EventSourceMessage[]): ResponseStreamEvent[] {
	expect(events.at(-1)?.data).toBe('[DONE]');
	const parsed = events.slice(0, -1).map((event) => {
		const data = JSON.parse(event.data) as ResponseStreamEvent;
		expect(event.event).toBe(data.type);
		return data;
	});
	parsed.forEach((event, index) => expect(event.sequence_number).toBe(index));
	return parsed;
}

/** The text of a response's messages (the SDK adds `output_text` to created responses only). */
function textOf(response: OpenAIResponse): string {
	return response.output
		.flatMap((item) => (item.type === 'message' ? item.content : []))
		.map((part) => (part.type === 'output_text' ? part.text : ''))
		.join('');
}

/** The fields every response object has, whatever its state. */
function expectResponseShape(response: OpenAIResponse) {
	expect(response.id).toMatch(/^resp_/);
	expect(response.object).toBe('response');
	for (const field of [
		'created_at',
		'status',
		'model',
		'output',
		'error',
		'incomplete_details',
		'instructions',
		'metadata',
		'tools',
		'tool_choice',
		'usage'
	]) {
		expect(response).toHaveProperty(field);
	}
}

describe('POST /v1/responses', () => {
	it('answers a text input, stored as a task, with every required field', async () => {
		const { response, taskId } = await createWithTask(alice, {
			model: 'assistant',
			input: 'Hello from the SDK',
			metadata: { ticket: '42' }
		});
		expectResponseShape(response);
		expect(response).toMatchObject({ status: 'completed', model: 'assistant', metadata: { ticket: '42' }, error: null, store: true });
		expect(response.output_text).toContain('You said: "Hello from the SDK"');
		expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
		expect(response.text).toEqual({ format: { type: 'text' } });
		expect(response.usage?.output_tokens).toBeGreaterThan(0);
		const stored = await listMessages(db, taskId);
		expect(stored.map((message) => message.role)).toEqual(['user', 'assistant']);
		expect((await findTask(db, taskId))?.title).toBe('Hello from the SDK');
	});

	it('takes an item list with system and developer messages, as system messages of the task', async () => {
		const { response, taskId } = await createWithTask(alice, {
			model: 'assistant',
			input: [
				{ role: 'system', content: 'Answer in one line.' },
				{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be kind.' }] },
				{ role: 'user', content: [{ type: 'input_text', text: 'What is a list?' }] }
			]
		});
		expect(response.status).toBe('completed');
		expect(response.output_text).toContain('What is a list?');
		const stored = await listMessages(db, taskId);
		expect(stored.map((message) => message.role)).toEqual(['system', 'system', 'user', 'assistant']);
	});

	it('reads an image sent as an input_image data URL', async () => {
		const { response, taskId } = await createWithTask(alice, {
			model: 'assistant',
			input: [
				{
					role: 'user',
					content: [
						{ type: 'input_text', text: 'What is in this picture?' },
						{ type: 'input_image', image_url: PIXEL, detail: 'auto' }
					]
				}
			]
		});
		expect(response.output_text).toContain('(image)');
		const [question] = await listMessages(db, taskId);
		expect(question.parts.some((part) => part.type === 'file' && part.mediaType === 'image/png')).toBe(true);
	});

	it('answers a multi-turn input, then continues it with previous_response_id', async () => {
		const first = await createWithTask(alice, {
			model: 'assistant',
			input: [
				{ role: 'user', content: 'My name is Ada.' },
				{ role: 'assistant', content: 'Hello Ada.' },
				{ role: 'user', content: 'Remember my name.' }
			]
		});
		expect(first.response.output_text).toContain('Remember my name.');
		expect((await listMessages(db, first.taskId)).map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

		const next = await createWithTask(alice, { model: 'assistant', input: 'And now?', previous_response_id: first.response.id });
		expect(next.taskId).toBe(first.taskId);
		expect(next.response.previous_response_id).toBe(first.response.id);
		expect(next.response.output_text).toContain('And now?');
		expect(await listMessages(db, first.taskId)).toHaveLength(6);
		// The conversation has gone on past the first response: it forks nowhere.
		const fork = await alice.responses
			.create({ model: 'assistant', input: 'Back then', previous_response_id: first.response.id })
			.catch((caught: unknown) => caught);
		expect(fork).toBeInstanceOf(OpenAI.ConflictError);
		expect(fork).toMatchObject({ status: 409, param: 'previous_response_id' });
	});

	it('streams the specification’s events, in order, and the SDK’s final response matches the stored one', async () => {
		const stream = alice.responses.stream({ model: 'assistant', input: 'Stream this please' });
		const seen: ResponseStreamEvent[] = [];
		for await (const event of stream) seen.push(event);
		const final = await stream.finalResponse();
		expect(final.status).toBe('completed');
		expect(final.output_text).toContain('Stream this please');
		for (let index = 1; index < seen.length; index++) expect(seen[index].sequence_number).toBeGreaterThan(seen[index - 1].sequence_number);
		const types = seen.map((event) => event.type);
		expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
		expect(types.at(-1)).toBe('response.completed');
		for (const type of [
			'response.output_item.added',
			'response.content_part.added',
			'response.output_text.delta',
			'response.output_text.done',
			'response.reasoning_summary_text.delta',
			'response.reasoning_summary_text.done',
			'response.content_part.done',
			'response.output_item.done'
		]) {
			expect(types).toContain(type);
		}
		// The stored response names every item as the stream did.
		const stored = await alice.responses.retrieve(final.id);
		expect(stored).toMatchObject({ id: final.id, status: 'completed' });
		expect(stored.output.map((item) => item.id)).toEqual(final.output.map((item) => item.id));
		expect(textOf(stored)).toBe(final.output_text);
	});

	it('frames each SSE event with its type, numbered from 0, ending with [DONE]', async () => {
		const events = checkFraming(await rawEvents({ model: 'tool-demo', input: 'Use the calculator expression="2+3"' }));
		expect(events.at(-1)?.type).toBe('response.completed');
	});

	it('cancels a response mid-stream, keeping the partial text, and replays a running one', async () => {
		const stream = alice.responses.stream({ model: 'assistant', input: 'Tell me a long answer until I interrupt you' });
		let id = '';
		let replayed: EventSourceMessage[] = [];
		for await (const event of stream) {
			if (event.type === 'response.created') id = event.response.id;
			if (event.type === 'response.output_text.delta' && replayed.length === 0) {
				// A second reader of the running response gets its events from the start.
				const replay = await fetch(`${server.baseURL}/v1/responses/${id}?stream=true`, {
					headers: { authorization: `Bearer ${aliceKey}` }
				});
				// Read without streaming, it is in progress.
				expect(await alice.responses.retrieve(id)).toMatchObject({ id, status: 'in_progress' });
				const cancelled = await alice.responses.cancel(id);
				expect(cancelled.status).toBe('cancelled');
				expect(textOf(cancelled).length).toBeGreaterThan(0);
				replayed = [];
				const reader = replay.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
				for (;;) {
					const { done, value } = await reader.read();
					if (done) break;
					replayed.push(value);
				}
			}
		}
		const final = await stream.finalResponse();
		expect(final.status).toBe('cancelled');
		const text = final.output_text;
		expect(text.length).toBeGreaterThan(0);
		const retrieved = await alice.responses.retrieve(id);
		expect(retrieved).toMatchObject({ status: 'cancelled' });
		expect(textOf(retrieved)).toBe(text);
		const replayEvents = checkFraming(replayed);
		expect(replayEvents[0].type).toBe('response.created');
		expect(replayEvents.at(-1)).toMatchObject({ type: 'response.incomplete', response: { status: 'cancelled' } });
		// Streamed again once ended, from a sequence number on.
		const again = await fetch(`${server.baseURL}/v1/responses/${id}?stream=true&starting_after=1`, {
			headers: { authorization: `Bearer ${aliceKey}` }
		});
		const tail = await again.text();
		expect(tail).toContain('"sequence_number":2');
		expect(tail).not.toContain('"sequence_number":1,');
		expect(tail.trim().endsWith('data: [DONE]')).toBe(true);
		const row = await db.select().from(responses).where(eq(responses.id, id));
		const stored = await listMessages(db, row[0].taskId);
		expect(stored.at(-1)).toMatchObject({ role: 'assistant', status: 'interrupted' });
	});

	it('deletes a response: it is then not found, and its task goes with the last response', async () => {
		const first = await createWithTask(alice, { model: 'assistant', input: 'Forget me' });
		const second = await alice.responses.create({ model: 'assistant', input: 'And me', previous_response_id: first.response.id });
		await alice.responses.delete(first.response.id);
		const error = await alice.responses.retrieve(first.response.id).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.NotFoundError);
		expect(await findTask(db, first.taskId)).toBeDefined();
		expect((await alice.responses.retrieve(second.id)).status).toBe('completed');
		await alice.responses.delete(second.id);
		expect(await findTask(db, first.taskId)).toBeUndefined();
		const again = await alice.responses.delete(second.id).catch((caught: unknown) => caught);
		expect(again).toBeInstanceOf(OpenAI.NotFoundError);
	});

	it('lists a response’s input items, newest first, a page at a time', async () => {
		const created = await alice.responses.create({
			model: 'assistant',
			input: [
				{ role: 'developer', content: 'Be brief.' },
				{ role: 'user', content: 'First' },
				{ role: 'assistant', content: 'Noted.' },
				{ role: 'user', content: 'Second' }
			]
		});
		const all = await alice.responses.inputItems.list(created.id);
		expect(all.data.map((item) => (item.type === 'message' ? item.role : item.type))).toEqual(['user', 'assistant', 'user', 'developer']);
		expect(all.data.every((item) => typeof item.id === 'string' && item.id.length > 0)).toBe(true);
		const page = await alice.responses.inputItems.list(created.id, { limit: 2, order: 'asc' });
		expect(page.data).toHaveLength(2);
		expect(page.has_more).toBe(true);
		expect(page.data[0]).toMatchObject({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] });
		const rest = await alice.responses.inputItems.list(created.id, { limit: 2, order: 'asc', after: page.data[1].id });
		expect(rest.data.map((item) => item.id)).toEqual([all.data[1].id, all.data[0].id]);
		expect(rest.has_more).toBe(false);
	});

	it('round-trips a caller function tool through previous_response_id and function_call_output', async () => {
		const first = await createWithTask(alice, { model: 'assistant', input: 'Use get_weather city=Paris', tools: [weatherTool] });
		const call = first.response.output.find((item) => item.type === 'function_call');
		expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
		if (call?.type !== 'function_call') throw new Error('no function call');
		expect(JSON.parse(call.arguments)).toMatchObject({ city: expect.any(String) });

		const next = await createWithTask(alice, {
			model: 'assistant',
			previous_response_id: first.response.id,
			tools: [weatherTool],
			input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temperature":21}' }]
		});
		expect(next.taskId).toBe(first.taskId);
		expect(next.response.status).toBe('completed');
		expect(next.response.output_text).toContain('The get_weather tool returned: {"temperature":21}');
		// The answer was continued: one question, one answer.
		expect((await listMessages(db, first.taskId)).map((message) => message.role)).toEqual(['user', 'assistant']);
	});

	it('shows the agent’s own tool as a hosted call with its result', async () => {
		const response = await alice.responses.create({ model: 'tool-demo', input: 'Use the calculator expression="2+3"' });
		const call = response.output.find((item) => item.type === 'mcp_call');
		expect(call).toMatchObject({ type: 'mcp_call', name: 'calculator', server_label: 'parley', error: null });
		expect(call?.type === 'mcp_call' && call.output).toContain('5');
		expect(response.output.some((item) => item.type === 'function_call')).toBe(false);
		expect(response.output_text).toContain('The calculator tool returned');
	});

	it('pauses an approval tool with an approval request, answered in the next request', async () => {
		const first = await alice.responses.create({ model: 'tool-demo', input: 'What is the current time?' });
		const request = first.output.find((item) => item.type === 'mcp_approval_request');
		expect(request).toMatchObject({ type: 'mcp_approval_request', name: 'current_time', server_label: 'parley' });
		if (request?.type !== 'mcp_approval_request') throw new Error('no approval request');

		const next = await alice.responses.create({
			model: 'tool-demo',
			previous_response_id: first.id,
			input: [{ type: 'mcp_approval_response', approval_request_id: request.id, approve: true }]
		});
		expect(next.status).toBe('completed');
		expect(next.output.find((item) => item.type === 'mcp_call')).toMatchObject({
			name: 'current_time',
			approval_request_id: request.id,
			status: 'completed'
		});
		expect(next.output_text).toContain('The current_time tool returned');
	});

	it('keeps each caller to its own responses', async () => {
		const mine = await alice.responses.create({ model: 'assistant', input: 'Private' });
		for (const attempt of [
			() => bob.responses.retrieve(mine.id),
			() => bob.responses.delete(mine.id),
			() => bob.responses.cancel(mine.id),
			() => bob.responses.inputItems.list(mine.id)
		]) {
			expect(await attempt().catch((caught: unknown) => caught)).toBeInstanceOf(OpenAI.NotFoundError);
		}
		const continued = await bob.responses
			.create({ model: 'assistant', input: 'Hi', previous_response_id: mine.id })
			.catch((caught: unknown) => caught);
		expect(continued).toBeInstanceOf(OpenAI.NotFoundError);
		expect(continued).toMatchObject({ param: 'previous_response_id' });
		const message = mine.output.find((item) => item.type === 'message');
		const referenced = await bob.responses
			.create({
				model: 'assistant',
				input: [
					{ type: 'item_reference', id: message!.id },
					{ role: 'user', content: 'Go on' }
				]
			})
			.catch((caught: unknown) => caught);
		expect(referenced).toBeInstanceOf(OpenAI.NotFoundError);
		expect(referenced).toMatchObject({ param: 'input.0.id' });
		// Alice's own reference resolves to her stored item.
		const own = await alice.responses.create({
			model: 'assistant',
			input: [
				{ type: 'item_reference', id: message!.id },
				{ role: 'user', content: 'Go on' }
			]
		});
		expect(own.status).toBe('completed');
	});

	it('serves anonymous callers of a public agent their own responses only', async () => {
		const anonymous = (id: string) =>
			new OpenAI({
				baseURL: `${server.baseURL}/v1`,
				apiKey: 'unused',
				maxRetries: 0,
				defaultHeaders: { authorization: null, 'x-anonymous-id': id }
			});
		const created = await anonymous('anon_responses_1').responses.create({ model: 'support', input: 'Hello there, help me' });
		expect(created.status).toBe('completed');
		expect((await anonymous('anon_responses_1').responses.retrieve(created.id)).id).toBe(created.id);
		const other = await anonymous('anon_responses_2')
			.responses.retrieve(created.id)
			.catch((caught: unknown) => caught);
		expect(other).toBeInstanceOf(OpenAI.NotFoundError);
		const privateAgent = await anonymous('anon_responses_1')
			.responses.create({ model: 'assistant', input: 'Hi' })
			.catch((caught: unknown) => caught);
		expect(privateAgent).toBeInstanceOf(OpenAI.APIError);
		expect(privateAgent).toMatchObject({ status: expect.any(Number) });
		expect([401, 404]).toContain((privateAgent as InstanceType<typeof OpenAI.APIError>).status);
	});

	it('refuses a function_call of the agent’s own tool sent by the caller', async () => {
		const error = await alice.responses
			.create({
				model: 'tool-demo',
				input: [
					{ role: 'user', content: 'Add numbers' },
					{ type: 'function_call', call_id: 'call_forged', name: 'calculator', arguments: '{"expression":"1+1"}' }
				]
			})
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.BadRequestError);
		expect(error).toMatchObject({ status: 400, param: 'input.1' });
		expect((error as Error).message).toContain('only the agent calls its tools');
	});

	it('keeps nothing readable of a response with store: false', async () => {
		const { response, taskId } = await createWithTask(alice, { model: 'assistant', input: 'Off the record', store: false });
		expect(response).toMatchObject({ status: 'completed', store: false });
		expect(await alice.responses.retrieve(response.id).catch((caught: unknown) => caught)).toBeInstanceOf(OpenAI.NotFoundError);
		await expect.poll(() => findTask(db, taskId)).toBeUndefined();
	});
});

describe('POST /v1/responses errors', () => {
	it('401 for a bad key', async () => {
		const error = await clientFor('pk_not_a_real_key')
			.responses.create({ model: 'assistant', input: 'Hi' })
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
	});

	it('404 model_not_found for an unknown agent', async () => {
		const error = await alice.responses.create({ model: 'no-such-agent', input: 'Hi' }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.NotFoundError);
		expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model', type: 'invalid_request_error' });
	});

	it('400 naming the field for bad input', async () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ model: 'assistant' }, 'input'],
			[{ model: 'assistant', input: [{ role: 'user', content: [{ type: 'input_audio' }] }] }, 'input.0.content.0.type'],
			[{ model: 'assistant', input: 'Hi', tools: [{ type: 'web_search' }] }, 'tools.0.type'],
			[{ model: 'assistant', input: [{ type: 'function_call_output', call_id: 'call_x', output: '1' }] }, 'input.0'],
			[{ model: 'assistant', input: 'Hi', temperature: 9 }, 'temperature']
		];
		for (const [body, param] of cases) {
			const error = await alice.responses.create(body as never).catch((caught: unknown) => caught);
			expect(error, param).toBeInstanceOf(OpenAI.BadRequestError);
			expect(error, param).toMatchObject({ status: 400, param, type: 'invalid_request_error' });
		}
	});

	it('413 for an input over the history limit', async () => {
		const input = Array.from({ length: 1001 }, () => ({ role: 'user' as const, content: 'x' }));
		const error = await alice.responses.create({ model: 'assistant', input }).catch((caught: unknown) => caught);
		expect(error).toMatchObject({ status: 413, param: 'input' });
	});

	it('422 for a context that breaks the agent’s schema', async () => {
		const error = await alice.responses
			.create({ model: 'ctx-demo', input: 'Hi', context: { plan: 'gold' } } as never)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(OpenAI.UnprocessableEntityError);
		expect(error).toMatchObject({ status: 422, param: 'context.plan' });
	});

	it('fails the response when the model fails mid-stream, keeping the partial answer in the task', async () => {
		const events = checkFraming(await rawEvents({ model: 'flaky', input: 'Hello' }));
		const last = events.at(-1);
		expect(last).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error' } } });
		expect(JSON.stringify(events)).not.toContain('backend exploded');
		const id = last && 'response' in last ? last.response.id : '';
		const stored = await alice.responses.retrieve(id);
		expect(stored.status).toBe('failed');
		expect(textOf(stored)).toBe('Partial answer');
		const [row] = await db.select().from(responses).where(eq(responses.id, id));
		expect((await listMessages(db, row.taskId)).at(-1)).toMatchObject({ role: 'assistant', status: 'error' });
	});

	it('answers a request without stream whose model fails with the failed response', async () => {
		const response = await alice.responses.create({ model: 'flaky', input: 'Hello' });
		expect(response).toMatchObject({ status: 'failed', error: { code: 'server_error', message: expect.any(String) } });
		expect(textOf(response)).toBe('Partial answer');
	});

	it('429 with retry-after', async () => {
		const limited = await startServer({ RATE_LIMIT_PER_MINUTE: '1', MOCK_TOKEN_DELAY_MS: '0' });
		try {
			const client = new OpenAI({
				baseURL: `${limited.baseURL}/v1`,
				apiKey: 'unused',
				maxRetries: 0,
				defaultHeaders: { authorization: null, 'x-anonymous-id': 'anon_ratelimit_1' }
			});
			await client.responses.create({ model: 'nope', input: 'Hi' }).catch(() => undefined);
			const error = await client.responses.create({ model: 'nope', input: 'Hi' }).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(OpenAI.RateLimitError);
			expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
			expect(Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after'))).toBeGreaterThan(0);
		} finally {
			await limited.stop();
		}
	});
});

describe('the AI SDK’s default OpenAI provider', () => {
	const providerFor = () => createOpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: aliceKey });

	it('generates and streams text through responses(…) and the default provider call', async () => {
		const openai = providerFor();
		const generated = await generateText({ model: openai.responses('assistant'), prompt: 'Hello from the AI SDK' });
		expect(generated.text).toContain('Hello from the AI SDK');
		const streamed = streamText({ model: openai('assistant'), prompt: 'Streaming from the AI SDK' });
		expect(await streamed.text).toContain('Streaming from the AI SDK');
		expect(await streamed.finishReason).toBe('stop');
	});

	it('round-trips a client tool, sending stored items back as references', async () => {
		const openai = providerFor();
		const tools = {
			get_weather: tool({
				description: 'The weather in a city.',
				inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] })
			})
		};
		const messages: ModelMessage[] = [{ role: 'user', content: 'Use get_weather city=Rome' }];
		const first = await generateText({ model: openai('assistant'), tools, messages });
		expect(first.toolCalls).toHaveLength(1);
		const [call] = first.toolCalls;
		expect(call.toolName).toBe('get_weather');
		messages.push(...first.response.messages, {
			role: 'tool',
			content: [
				{ type: 'tool-result', toolCallId: call.toolCallId, toolName: 'get_weather', output: { type: 'json', value: { temperature: 25 } } }
			]
		});
		const second = streamText({ model: openai('assistant'), tools, messages });
		expect(await second.text).toContain('The get_weather tool returned: {"temperature":25}');
		// The answer that waited for the call was continued, in the same task.
		const ids = [first.response.id, (await second.response).id];
		const rows = await db.select().from(responses).where(inArray(responses.id, ids));
		expect(rows).toHaveLength(2);
		expect(new Set(rows.map((row) => row.taskId)).size).toBe(1);
		expect((await listMessages(db, rows[0].taskId)).map((message) => message.role)).toEqual(['user', 'assistant']);
	});

	it('reads the agent’s own tool calls as calls the provider ran', async () => {
		const result = await generateText({ model: providerFor()('tool-demo'), prompt: 'Use the calculator expression="2+3"' });
		expect(result.text).toContain('The calculator tool returned');
		expect(result.toolCalls.every((call) => call.providerExecuted)).toBe(true);
	});
});

/**
 * `tool_choice`, `max_output_tokens` and `text.format` are the turn's settings, which the runtime
 * applies and the offline model honours.
 */
describe('turn settings', () => {
	it('none: the model calls no tool', async () => {
		const response = await alice.responses.create({
			model: 'tool-demo',
			input: 'Use the calculator expression="2+3"',
			tool_choice: 'none'
		});
		expect(response.tool_choice).toBe('none');
		expect(response.output.some((item) => item.type === 'mcp_call' || item.type === 'function_call')).toBe(false);
	});

	it('a named function: the model calls that one', async () => {
		const response = await alice.responses.create({
			model: 'tool-demo',
			input: 'Use the calculator expression="2+3"',
			tools: [weatherTool],
			tool_choice: { type: 'function', name: 'get_weather' }
		});
		expect(response.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'get_weather' });
		expect(response.output.some((item) => item.type === 'mcp_call')).toBe(false);
	});

	it('max_output_tokens cuts the answer: the response is incomplete', async () => {
		const response = await alice.responses.create({ model: 'assistant', input: 'Tell me a long answer', max_output_tokens: 16 });
		expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, max_output_tokens: 16 });
	});

	it('a json_schema text format: the answer is JSON of that schema', async () => {
		const response = await alice.responses.create({
			model: 'assistant',
			input: 'Give me a city',
			text: {
				format: {
					type: 'json_schema',
					name: 'city',
					schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false }
				}
			}
		});
		expect(response.text?.format).toMatchObject({ type: 'json_schema', name: 'city' });
		expect(JSON.parse(response.output_text)).toMatchObject({ name: expect.any(String) });
	});

	it('refuses a named function that is none of the turn’s tools', async () => {
		const error = await alice.responses
			.create({ model: 'assistant', input: 'Hi', tool_choice: { type: 'function', name: 'nowhere' } })
			.catch((caught: unknown) => caught);
		expect(error).toMatchObject({ status: 400, param: 'tool_choice.name' });
	});
});
