/**
 * Every hosted provider through the app's own chat (`POST /api/chat`), each on a fake server that
 * speaks its wire format: text, reasoning, a server-tool run and the turn after it, usage, files,
 * errors and stop. Each fake records what Parley sent, so the tests check the provider's request
 * (reasoning options, replayed signatures, files) as well as what the chat showed and stored.
 */
import type { UIMessageChunk } from 'ai';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, agentTools, messages, tools, type Message } from '../../src/lib/server/db/schema';
import { startFakeProvider, type FakeProvider, type ProviderKind } from '../support/fake-providers';
import { minimalPdf } from '../support/minimal-pdf';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { readRest, readUntil, textReader } from '../support/streams';
import { textPng } from '../support/text-png';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Parts = Message['parts'];

const API_KEY = 'sk-fake-key-0123456789';

/** What one provider's requests and answers look like; the tests below are the same for all. */
interface Setup {
	name: string;
	fake: ProviderKind;
	model: string;
	/** The server's settings pointing the provider at the fake. */
	env(fake: FakeProvider): Record<string, string>;
	/** How errors name the provider. */
	label: string;
	/** The stored error of an answer the provider broke off with its own in-stream error. */
	midStreamError: string;
	/** What the request of an agent with reasoning `low` carries (matched as a subset). */
	reasoningRequest: Json;
	/** Further checks of that request. */
	checkReasoningRequest?(body: Json): void;
	/** Whether the API streams reasoning back (OpenAI's Chat Completions never does). */
	streamsReasoning: boolean;
	/**
	 * What the provider needs back in later requests (a signature, encrypted reasoning) as a stored
	 * answer keeps it, and as a request carries it; both in the request's own field names.
	 */
	replay?: { stored(parts: Parts): Json; sent(body: Json): Json };
	/** The tool call and tool result a request replays. */
	toolExchange(body: Json): { callId: string | undefined; output: Json };
	/** Whether usage counts reasoning tokens apart (Anthropic does not). */
	reportsReasoningTokens: boolean;
	/** The image and the PDF of the request's last user message, as the API takes them. */
	files(body: Json, png: string, pdf: string): void;
}

const partsOf = (parts: Parts) => parts as Json[];

/** The Responses API and Chat Completions share OpenAI's settings. */
const openaiEnv = (fake: FakeProvider) => ({ OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.baseURL });

const chatToolExchange: Setup['toolExchange'] = (body) => {
	const call = body.messages.find((message: Json) => message.role === 'assistant' && message.tool_calls).tool_calls[0];
	const result = body.messages.find((message: Json) => message.role === 'tool');
	expect(result.tool_call_id).toBe(call.id);
	return { callId: call.id, output: JSON.parse(result.content) };
};

const chatFiles = (body: Json, png: string, pdf: string | undefined) => {
	const content = body.messages.at(-1).content;
	expect(content).toContainEqual({ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } });
	if (pdf !== undefined) {
		expect(content).toContainEqual({ type: 'file', file: { filename: 'facts.pdf', file_data: `data:application/pdf;base64,${pdf}` } });
	}
};

const SETUPS: Setup[] = [
	{
		name: 'OpenAI Responses',
		fake: 'openai-responses',
		model: 'openai:gpt-5-mini',
		env: openaiEnv,
		label: 'OpenAI',
		midStreamError: 'OpenAI stopped the answer with an error (server_error). Try again.',
		reasoningRequest: { reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'], store: false },
		streamsReasoning: true,
		replay: {
			stored(parts) {
				const { itemId, reasoningEncryptedContent } = partsOf(parts).find((part) => part.type === 'reasoning').providerMetadata.openai;
				return { id: itemId, encrypted_content: reasoningEncryptedContent };
			},
			sent(body) {
				const { id, encrypted_content } = body.input.find((item: Json) => item.type === 'reasoning');
				return { id, encrypted_content };
			}
		},
		toolExchange(body) {
			const call = body.input.find((item: Json) => item.type === 'function_call');
			const result = body.input.find((item: Json) => item.type === 'function_call_output');
			expect(call).toMatchObject({ name: 'calculator', arguments: JSON.stringify({ expression: '6*7' }) });
			expect(result.call_id).toBe(call.call_id);
			return { callId: call.call_id, output: JSON.parse(result.output) };
		},
		reportsReasoningTokens: true,
		files(body, png, pdf) {
			const content = body.input.at(-1).content;
			expect(content).toContainEqual(expect.objectContaining({ type: 'input_image', image_url: `data:image/png;base64,${png}` }));
			expect(content).toContainEqual({ type: 'input_file', filename: 'facts.pdf', file_data: `data:application/pdf;base64,${pdf}` });
		}
	},
	{
		name: 'OpenAI Chat Completions',
		fake: 'openai-chat',
		model: 'openai:gpt-5-mini',
		env: (fake) => ({ ...openaiEnv(fake), OPENAI_API_MODE: 'chat' }),
		label: 'OpenAI',
		midStreamError: 'OpenAI stopped the answer with an error (server_error). Try again.',
		reasoningRequest: { reasoning_effort: 'low', store: false },
		streamsReasoning: false,
		toolExchange: chatToolExchange,
		reportsReasoningTokens: true,
		files: chatFiles
	},
	{
		name: 'Anthropic',
		fake: 'anthropic',
		model: 'anthropic:claude-sonnet-4-5',
		env: (fake) => ({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.baseURL }),
		label: 'Anthropic',
		midStreamError: 'Anthropic is overloaded (overloaded_error) and stopped the answer. Try again shortly.',
		reasoningRequest: { thinking: { type: 'enabled', budget_tokens: 1024 } },
		checkReasoningRequest(body) {
			// The agent's temperature is left out: extended thinking refuses one. The budget stays below max_tokens.
			expect(body).not.toHaveProperty('temperature');
			expect(body.max_tokens).toBeGreaterThan(body.thinking.budget_tokens);
		},
		streamsReasoning: true,
		replay: {
			stored(parts) {
				const reasoning = partsOf(parts).find((part) => part.type === 'reasoning');
				return { type: 'thinking', thinking: reasoning.text, signature: reasoning.providerMetadata.anthropic.signature };
			},
			sent: (body) =>
				body.messages
					.filter((message: Json) => message.role === 'assistant')
					.flatMap((message: Json) => message.content)
					.find((block: Json) => block.type === 'thinking')
		},
		toolExchange(body) {
			const blocks = body.messages.flatMap((message: Json) => (Array.isArray(message.content) ? message.content : []));
			const call = blocks.find((block: Json) => block.type === 'tool_use');
			const result = blocks.find((block: Json) => block.type === 'tool_result');
			expect(call).toMatchObject({ name: 'calculator', input: { expression: '6*7' } });
			expect(result.tool_use_id).toBe(call.id);
			return { callId: call.id, output: JSON.parse(result.content) };
		},
		reportsReasoningTokens: false,
		files(body, png, pdf) {
			const content = body.messages.at(-1).content;
			expect(content).toContainEqual(
				expect.objectContaining({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } })
			);
			expect(content).toContainEqual(
				expect.objectContaining({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf } })
			);
		}
	},
	{
		name: 'Google Gemini',
		fake: 'google',
		model: 'google:gemini-2.5-flash',
		env: (fake) => ({ GOOGLE_GENERATIVE_AI_API_KEY: API_KEY, GOOGLE_GENERATIVE_AI_BASE_URL: fake.baseURL }),
		label: 'Google',
		// Gemini's error chunk is not read by the AI SDK; the connection ending after it is.
		midStreamError: 'The connection to Google was lost (terminated). Try again.',
		reasoningRequest: { generationConfig: { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } } },
		streamsReasoning: true,
		replay: {
			// Gemini signs the function call; the call goes back with its signature.
			stored(parts) {
				const call = partsOf(parts).find((part) => part.type === 'tool-calculator');
				return {
					functionCall: { id: call.toolCallId, name: 'calculator', args: call.input },
					thoughtSignature: call.callProviderMetadata.google.thoughtSignature
				};
			},
			sent: (body) =>
				body.contents
					.filter((content: Json) => content.role === 'model')
					.flatMap((content: Json) => content.parts)
					.find((part: Json) => part.functionCall)
		},
		toolExchange(body) {
			const parts = body.contents.flatMap((content: Json) => content.parts);
			const call = parts.find((part: Json) => part.functionCall).functionCall;
			const result = parts.find((part: Json) => part.functionResponse).functionResponse;
			expect(call).toMatchObject({ name: 'calculator', args: { expression: '6*7' } });
			expect(result.name).toBe('calculator');
			return { callId: call.id, output: result.response.content };
		},
		reportsReasoningTokens: true,
		files(body, png, pdf) {
			const parts = body.contents.at(-1).parts;
			expect(parts).toContainEqual({ inlineData: { mimeType: 'image/png', data: png } });
			expect(parts).toContainEqual({ inlineData: { mimeType: 'application/pdf', data: pdf } });
		}
	},
	{
		name: 'OpenAI-compatible',
		fake: 'openai-chat',
		model: 'compatible:qwen3-8b',
		env: (fake) => ({ OPENAI_COMPATIBLE_BASE_URL: fake.baseURL, OPENAI_COMPATIBLE_API_KEY: API_KEY }),
		label: 'OpenAI-compatible',
		midStreamError: 'OpenAI-compatible stopped the answer with an error (server_error). Try again.',
		reasoningRequest: { reasoning_effort: 'low', stream_options: { include_usage: true } },
		streamsReasoning: true,
		toolExchange: chatToolExchange,
		reportsReasoningTokens: true,
		files(body, png) {
			// Compatible servers get images only: the PDF goes as its text.
			chatFiles(body, png, undefined);
			const content = body.messages.at(-1).content;
			expect(content.some((part: Json) => part.type === 'file')).toBe(false);
			expect(JSON.stringify(content)).toContain('Kea parrots can solve puzzles.');
		}
	}
];

/** The UI message chunks of an SSE body. */
function chunksOf(sse: string): UIMessageChunk[] {
	return sse
		.split('\n')
		.filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
		.map((line) => JSON.parse(line.slice('data: '.length)));
}

function deltasOf(chunks: UIMessageChunk[], type: 'text-delta' | 'reasoning-delta'): string[] {
	return chunks.flatMap((chunk) => (chunk.type === type ? [chunk.delta] : []));
}

function textOf(parts: Parts): string {
	return partsOf(parts)
		.flatMap((part) => (part.type === 'text' ? [part.text] : []))
		.join('');
}

let taskCount = 0;
const newTaskId = () => `task_providers_${++taskCount}_${Date.now()}`;

describe.each(SETUPS)('$name through POST /api/chat', (setup) => {
	let fake: FakeProvider;
	let server: TestServer;
	let db: Db;
	let alice: SessionClient;
	const plain = `plain-${setup.fake}`;
	const thinker = `thinker-${setup.fake}`;

	beforeAll(async () => {
		fake = await startFakeProvider(setup.fake, { apiKey: API_KEY });
		server = await startServer(setup.env(fake));
		alice = await signUp(server.baseURL, 'alice@example.com');
		db = await openDatabase({ url: server.databaseUrl });
		await db.insert(agents).values({ slug: plain, name: 'Plain', model: setup.model });
		// Reasoning low, a temperature that Anthropic's thinking must not get, and the calculator.
		const [agent] = await db
			.insert(agents)
			.values({ slug: thinker, name: 'Thinker', model: setup.model, reasoning: 'low', temperature: 0.3 })
			.returning();
		const [calculator] = await db.select().from(tools).where(eq(tools.name, 'calculator'));
		await db.insert(agentTools).values({ agentId: agent.id, toolId: calculator.id });
	}, 30_000);

	afterAll(async () => {
		db?.$client.close();
		await server?.stop();
		await fake?.close();
	});

	/** Posts one user message; `files` are uploads to attach. */
	function post(taskId: string, agentId: string, text: string, files: { id: string; mediaType: string; name: string }[] = []) {
		return alice.fetch('/api/chat', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: taskId,
				agentId,
				messages: [
					{
						id: crypto.randomUUID(),
						role: 'user',
						parts: [
							{ type: 'text', text },
							...files.map((file) => ({ type: 'file', mediaType: file.mediaType, url: `/api/files/${file.id}`, filename: file.name }))
						]
					}
				]
			})
		});
	}

	/** Sends a message and reads the whole answer stream. */
	async function ask(taskId: string, agentId: string, text: string, files?: Parameters<typeof post>[3]) {
		const response = await post(taskId, agentId, text, files);
		expect(response.status).toBe(200);
		return chunksOf(await response.text());
	}

	async function storedAnswers(taskId: string) {
		const rows = await db.select().from(messages).where(eq(messages.taskId, taskId)).orderBy(asc(messages.position));
		return rows.filter((row) => row.role === 'assistant');
	}

	/** The model requests the fake got from the `from`th on. */
	const requestsFrom = (from: number) => fake.modelRequests().slice(from);

	it('streams a text answer and stores it', async () => {
		const from = fake.modelRequests().length;
		fake.enqueue({ text: 'The quick brown fox jumps over the lazy dog.' });
		const taskId = newTaskId();
		const chunks = await ask(taskId, plain, 'Say a pangram.');

		expect(deltasOf(chunks, 'text-delta').length).toBeGreaterThanOrEqual(3);
		expect(deltasOf(chunks, 'text-delta').join('')).toBe('The quick brown fox jumps over the lazy dog.');
		expect(chunks.at(-1)).toMatchObject({ type: 'finish' });
		const [answer] = await storedAnswers(taskId);
		expect(answer).toMatchObject({ status: 'complete', model: setup.model, error: null });
		expect(textOf(answer.parts)).toBe('The quick brown fox jumps over the lazy dog.');
		const [request] = requestsFrom(from);
		expect(JSON.stringify(request.body)).toContain('Say a pangram.');
	});

	it('sends the agent’s reasoning options, shows the reasoning and stores it', async () => {
		const from = fake.modelRequests().length;
		const reasoning = 'The user wants a greeting, so I will greet them back politely.';
		fake.enqueue({ reasoning, text: 'Hello there, how are you?' });
		const taskId = newTaskId();
		const chunks = await ask(taskId, thinker, 'Hello!');

		const [request] = requestsFrom(from);
		expect(request.body).toMatchObject(setup.reasoningRequest);
		setup.checkReasoningRequest?.(request.body);
		const [answer] = await storedAnswers(taskId);
		expect(answer.status).toBe('complete');
		expect(textOf(answer.parts)).toBe('Hello there, how are you?');
		const stored = partsOf(answer.parts).find((part) => part.type === 'reasoning');
		if (setup.streamsReasoning) {
			expect(deltasOf(chunks, 'reasoning-delta').join('')).toBe(reasoning);
			expect(stored).toMatchObject({ type: 'reasoning', text: reasoning, state: 'done' });
		} else {
			expect(deltasOf(chunks, 'reasoning-delta')).toEqual([]);
			expect(stored).toBeUndefined();
		}
	});

	it('runs a server tool in two steps, and the next turn replays the call, its result and the reasoning', async () => {
		const from = fake.modelRequests().length;
		fake.enqueue(
			{ reasoning: 'I should use the calculator for 6*7.', toolCalls: [{ name: 'calculator', input: { expression: '6*7' } }] },
			{ text: 'Six times seven is 42.' },
			{ text: 'You are welcome.' }
		);
		const taskId = newTaskId();
		const chunks = await ask(taskId, thinker, 'What is 6*7?');
		expect(chunks).toContainEqual(expect.objectContaining({ type: 'tool-output-available', output: { expression: '6*7', result: 42 } }));
		expect(deltasOf(chunks, 'text-delta').join('')).toBe('Six times seven is 42.');
		await ask(taskId, thinker, 'Thanks!');

		const [first, second] = await storedAnswers(taskId);
		expect(first.status).toBe('complete');
		const toolPart = partsOf(first.parts).find((part) => part.type === 'tool-calculator');
		expect(toolPart).toMatchObject({ state: 'output-available', output: { expression: '6*7', result: 42 } });
		expect(second).toMatchObject({ status: 'complete' });
		expect(textOf(second.parts)).toBe('You are welcome.');

		const [, stepTwo, nextTurn] = requestsFrom(from);
		expect(requestsFrom(from)).toHaveLength(3);
		// The next turn, built from what was stored, replays the call as the run's own second step did.
		expect(setup.toolExchange(nextTurn.body)).toEqual({ callId: toolPart.toolCallId, output: { expression: '6*7', result: 42 } });
		expect(setup.toolExchange(stepTwo.body)).toEqual(setup.toolExchange(nextTurn.body));
		if (setup.replay) {
			const stored = setup.replay.stored(first.parts);
			expect(JSON.stringify(stored)).toMatch(/"[A-Za-z0-9+/]{100,}=*"/);
			expect(setup.replay.sent(stepTwo.body)).toEqual(stored);
			expect(setup.replay.sent(nextTurn.body)).toEqual(stored);
		}
	});

	it('stores the usage the provider reports on the answer', async () => {
		fake.enqueue({ text: 'Counted.', usage: { input: 100, cachedInput: 40, output: 50, reasoning: 30 } });
		const taskId = newTaskId();
		await ask(taskId, plain, 'Count my tokens.');
		const [answer] = await storedAnswers(taskId);
		expect(answer).toMatchObject({
			inputTokens: 100,
			outputTokens: 50,
			cachedInputTokens: 40,
			reasoningTokens: setup.reportsReasoningTokens ? 30 : null
		});
	});

	it('sends an uploaded image and PDF as the API takes them', async () => {
		const png = textPng(['KEA']);
		const pdf = minimalPdf(['Kea parrots can solve puzzles.']);
		const form = new FormData();
		form.append('file', new File([png], 'kea.png'));
		form.append('file', new File([pdf], 'facts.pdf'));
		const upload = await alice.fetch('/api/files', { method: 'POST', body: form });
		expect(upload.status).toBe(201);
		const { files } = (await upload.json()) as { files: { id: string; name: string; mime_type: string }[] };

		const from = fake.modelRequests().length;
		fake.enqueue({ text: 'A kea, and a fact about it.' });
		const taskId = newTaskId();
		await ask(
			taskId,
			plain,
			'What are these?',
			files.map((file) => ({ id: file.id, mediaType: file.mime_type, name: file.name }))
		);
		const [answer] = await storedAnswers(taskId);
		expect(answer.status).toBe('complete');
		const [request] = requestsFrom(from);
		setup.files(request.body, Buffer.from(png).toString('base64'), Buffer.from(pdf).toString('base64'));
	});

	it.each([
		['the provider’s own error', 'provider' as const],
		['a connection reset', 'reset' as const]
	])('stores an answer broken off by %s as an error with its partial text, naming the provider and the cause', async (_, kind) => {
		fake.enqueue({ text: 'Partial answer that will break.', midStreamError: kind });
		const taskId = newTaskId();
		const chunks = await ask(taskId, plain, 'Start answering.');
		expect(deltasOf(chunks, 'text-delta').join('')).toBe('Partial answer that will break.');

		const [answer] = await storedAnswers(taskId);
		expect(answer.status).toBe('error');
		expect(textOf(answer.parts)).toBe('Partial answer that will break.');
		expect(answer.error).toBe(
			kind === 'provider' ? setup.midStreamError : `The connection to ${setup.label} was lost (terminated). Try again.`
		);
		expect(chunks).toContainEqual({ type: 'error', errorText: answer.error });
	});

	it('names a 429 and its retry-after once the one retry fails too', async () => {
		const from = fake.modelRequests().length;
		fake.enqueue({ httpError: { status: 429, retryAfter: 1 } }, { httpError: { status: 429, retryAfter: 1 } });
		const taskId = newTaskId();
		await ask(taskId, plain, 'Too fast?');
		expect(requestsFrom(from)).toHaveLength(2);
		const [answer] = await storedAnswers(taskId);
		expect(answer.status).toBe('error');
		expect(answer.error).toBe(`${setup.label} is rate limiting requests (HTTP 429, ${rateLimitCode[setup.fake]}). Try again in 1 s.`);
	});

	it('stop aborts the upstream request and stores the partial answer as interrupted', async () => {
		const from = fake.modelRequests().length;
		fake.enqueue({ text: 'Rivers carve valleys over many years.', hang: true });
		const taskId = newTaskId();
		const response = await post(taskId, plain, 'Tell me about rivers.');
		const reader = textReader(response.body);
		const seen = await readUntil(reader, '"type":"text-delta"');

		const stop = await alice.fetch(`/api/chat/${taskId}/stop`, { method: 'POST' });
		expect(await stop.json()).toMatchObject({ stopped: true });
		await fake.waitForClientClose(fake.requests.indexOf(requestsFrom(from)[0]));
		expect(requestsFrom(from)[0].closedByClient).toBe(true);
		const chunks = chunksOf(seen + (await readRest(reader)));
		expect(chunks.at(-1)).toEqual({ type: 'abort' });

		const [answer] = await storedAnswers(taskId);
		expect(answer.status).toBe('interrupted');
		expect(textOf(answer.parts)).toBe('Rivers');
	});
});

/** Each provider's own code for a rate limit, as its error body names it. */
const rateLimitCode: Record<ProviderKind, string> = {
	'openai-responses': 'rate_limit_exceeded',
	'openai-chat': 'rate_limit_exceeded',
	anthropic: 'rate_limit_error',
	google: 'RESOURCE_EXHAUSTED'
};
