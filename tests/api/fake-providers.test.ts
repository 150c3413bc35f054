/**
 * The fake providers are only worth their name if the real clients understand them: each case
 * points an AI SDK provider (and, for OpenAI, the official `openai` SDK) at a fake and checks that
 * text, reasoning, tool calls, usage and every kind of failure come through as they would from
 * the real API.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { JSONValue, LanguageModelV3 } from '@ai-sdk/provider';
import { APICallError, generateText, stepCountIs, streamText, tool, type TextStreamPart, type ToolSet } from 'ai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeProvider, type FakeProvider, type FakeProviderOptions, type ProviderKind } from '../support/fake-providers';

const API_KEY = 'sk-fake-key-0123456789';

type ProviderOptions = Record<string, Record<string, JSONValue>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Case {
	name: string;
	kind: ProviderKind;
	model(fake: FakeProvider, apiKey?: string): LanguageModelV3;
	/** The provider options that turn reasoning on; undefined when the client reads no reasoning. */
	reasoningOptions?: ProviderOptions;
	/** The path a streamed model call goes to. */
	streamPath: RegExp;
	/** Checks what the reasoning parts carry in their provider metadata. */
	checkReasoningMetadata?(metadata: Json): void;
	/** Checks the second request of a tool run: the replayed reasoning and the tool result. */
	checkReplay(body: Json, run: { toolCallId: string; metadata: Json[] }): void;
	/** The usage the client reports for input 100 (40 cached), output 50 (30 reasoning). */
	expectedUsage: {
		inputTokens: number;
		outputTokens: number;
		reasoningTokens: number | undefined;
		cachedInputTokens: number;
	};
	/** The status a wrong API key gets. */
	wrongKeyStatus: number;
}

const weatherTool = {
	weather: tool({
		description: 'The weather in a city.',
		inputSchema: z.object({ city: z.string() }),
		execute: async ({ city }) => ({ city, forecast: 'sunny', degrees: 21 })
	})
} satisfies ToolSet;

const chatReplay: Case['checkReplay'] = (body, run) => {
	const assistant = body.messages.find((message: Json) => message.role === 'assistant');
	expect(assistant.tool_calls[0]).toMatchObject({
		id: run.toolCallId,
		type: 'function',
		function: { name: 'weather', arguments: JSON.stringify({ city: 'Oslo' }) }
	});
	const toolMessage = body.messages.find((message: Json) => message.role === 'tool');
	expect(toolMessage.tool_call_id).toBe(run.toolCallId);
	expect(JSON.parse(toolMessage.content)).toEqual({ city: 'Oslo', forecast: 'sunny', degrees: 21 });
};

const CASES: Case[] = [
	{
		name: 'OpenAI Responses',
		kind: 'openai-responses',
		model: (fake, apiKey = API_KEY) => createOpenAI({ baseURL: fake.baseURL, apiKey }).responses('gpt-5-mini'),
		reasoningOptions: {
			openai: {
				reasoningEffort: 'low',
				reasoningSummary: 'auto',
				store: false,
				include: ['reasoning.encrypted_content']
			}
		},
		streamPath: /^\/v1\/responses$/,
		checkReasoningMetadata(metadata) {
			expect(metadata.openai.itemId).toMatch(/^rs_[0-9a-f]{50}$/);
			expect(metadata.openai.reasoningEncryptedContent).toMatch(/^gAAAAAB/);
		},
		checkReplay(body, run) {
			const reasoning = body.input.find((item: Json) => item.type === 'reasoning');
			const reasoningMetadata = run.metadata.find(
				(metadata) => metadata?.openai?.itemId?.startsWith('rs_') && metadata.openai.reasoningEncryptedContent
			);
			expect(reasoning).toMatchObject({
				id: reasoningMetadata.openai.itemId,
				encrypted_content: reasoningMetadata.openai.reasoningEncryptedContent
			});
			expect(reasoning.summary[0].text).toContain('Oslo');
			const call = body.input.find((item: Json) => item.type === 'function_call');
			expect(call).toMatchObject({ call_id: run.toolCallId, name: 'weather' });
			const output = body.input.find((item: Json) => item.type === 'function_call_output');
			expect(output.call_id).toBe(run.toolCallId);
			expect(JSON.parse(output.output)).toEqual({ city: 'Oslo', forecast: 'sunny', degrees: 21 });
		},
		expectedUsage: { inputTokens: 100, outputTokens: 50, reasoningTokens: 30, cachedInputTokens: 40 },
		wrongKeyStatus: 401
	},
	{
		name: 'OpenAI Chat Completions',
		kind: 'openai-chat',
		model: (fake, apiKey = API_KEY) => createOpenAI({ baseURL: fake.baseURL, apiKey }).chat('gpt-4.1-mini'),
		streamPath: /^\/v1\/chat\/completions$/,
		checkReplay: chatReplay,
		expectedUsage: { inputTokens: 100, outputTokens: 50, reasoningTokens: 30, cachedInputTokens: 40 },
		wrongKeyStatus: 401
	},
	{
		name: 'OpenAI-compatible',
		kind: 'openai-chat',
		model: (fake, apiKey = API_KEY) =>
			createOpenAICompatible({ name: 'compatible', baseURL: fake.baseURL, apiKey, includeUsage: true })('qwen3-8b'),
		reasoningOptions: {},
		streamPath: /^\/v1\/chat\/completions$/,
		checkReplay: chatReplay,
		expectedUsage: { inputTokens: 100, outputTokens: 50, reasoningTokens: 30, cachedInputTokens: 40 },
		wrongKeyStatus: 401
	},
	{
		name: 'Anthropic',
		kind: 'anthropic',
		model: (fake, apiKey = API_KEY) => createAnthropic({ baseURL: fake.baseURL, apiKey })('claude-sonnet-4-5'),
		reasoningOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } } },
		streamPath: /^\/v1\/messages$/,
		checkReasoningMetadata(metadata) {
			expect(metadata.anthropic.signature).toMatch(/^[A-Za-z0-9+/]{100,}=*$/);
		},
		checkReplay(body, run) {
			const signature = run.metadata.find((metadata) => metadata?.anthropic?.signature)?.anthropic.signature;
			const assistant = body.messages.find((message: Json) => message.role === 'assistant');
			expect(assistant.content[0]).toMatchObject({ type: 'thinking', signature });
			expect(assistant.content[0].thinking).toContain('Oslo');
			expect(assistant.content).toContainEqual(
				expect.objectContaining({ type: 'tool_use', id: run.toolCallId, name: 'weather', input: { city: 'Oslo' } })
			);
			const result = body.messages.at(-1).content.find((part: Json) => part.type === 'tool_result');
			expect(result.tool_use_id).toBe(run.toolCallId);
			expect(JSON.parse(result.content)).toEqual({ city: 'Oslo', forecast: 'sunny', degrees: 21 });
		},
		expectedUsage: { inputTokens: 100, outputTokens: 50, reasoningTokens: undefined, cachedInputTokens: 40 },
		wrongKeyStatus: 401
	},
	{
		name: 'Google Gemini',
		kind: 'google',
		model: (fake, apiKey = API_KEY) => createGoogleGenerativeAI({ baseURL: fake.baseURL, apiKey })('gemini-2.5-flash'),
		reasoningOptions: { google: { thinkingConfig: { includeThoughts: true } } },
		streamPath: /^\/v1beta\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/,
		checkReasoningMetadata(metadata) {
			expect(metadata.google.thoughtSignature).toMatch(/^[A-Za-z0-9+/]{100,}=*$/);
		},
		checkReplay(body, run) {
			const toolSignature = run.metadata.at(-1).google.thoughtSignature;
			const model = body.contents.find((content: Json) => content.role === 'model');
			expect(model.parts).toContainEqual({
				functionCall: { name: 'weather', args: { city: 'Oslo' }, id: run.toolCallId },
				thoughtSignature: toolSignature
			});
			const response = body.contents.at(-1).parts.find((part: Json) => part.functionResponse);
			expect(response.functionResponse).toMatchObject({
				name: 'weather',
				response: { name: 'weather', content: { city: 'Oslo', forecast: 'sunny', degrees: 21 } }
			});
		},
		expectedUsage: { inputTokens: 100, outputTokens: 50, reasoningTokens: 30, cachedInputTokens: 40 },
		wrongKeyStatus: 400
	}
];

let fake: FakeProvider | undefined;
afterEach(async () => {
	await fake?.close();
	fake = undefined;
});

async function start(kind: ProviderKind, options?: FakeProviderOptions) {
	fake = await startFakeProvider(kind, options);
	return fake;
}

/** Every part of a run's full stream, in order. */
async function partsOf<TOOLS extends ToolSet>(stream: AsyncIterable<TextStreamPart<TOOLS>>) {
	const parts: TextStreamPart<TOOLS>[] = [];
	for await (const part of stream) parts.push(part);
	return parts;
}

function textOf(parts: TextStreamPart<ToolSet>[]) {
	return parts
		.filter((part) => part.type === 'text-delta')
		.map((part) => (part as { text: string }).text)
		.join('');
}

for (const c of CASES) {
	describe(c.name, () => {
		it('streams text in several deltas', async () => {
			const fake = await start(c.kind, { apiKey: API_KEY });
			fake.enqueue({ text: 'The quick brown fox jumps over the lazy dog.' });
			const result = streamText({ model: c.model(fake), prompt: 'Say something.', maxRetries: 0 });
			const parts = await partsOf(result.fullStream);
			const deltas = parts.filter((part) => part.type === 'text-delta');
			expect(deltas.length).toBeGreaterThanOrEqual(3);
			expect(textOf(parts)).toBe('The quick brown fox jumps over the lazy dog.');
			expect(await result.finishReason).toBe('stop');
			expect(fake.requests).toHaveLength(1);
			expect(fake.requests[0].method).toBe('POST');
			expect(fake.requests[0].path).toMatch(c.streamPath);
			expect(JSON.stringify(fake.requests[0].body)).toContain('Say something.');
		});

		it('answers the default text when nothing is queued, and without streaming too', async () => {
			const fake = await start(c.kind);
			const streamed = streamText({ model: c.model(fake), prompt: 'Hi' });
			expect(await streamed.text).toBe(`Hello from ${c.kind}.`);
			fake.enqueue({ text: 'Not streamed, all at once.' });
			const generated = await generateText({ model: c.model(fake), prompt: 'Hi', maxRetries: 0 });
			expect(generated.text).toBe('Not streamed, all at once.');
			expect(fake.modelRequests()).toHaveLength(2);
		});

		if (c.reasoningOptions) {
			it('streams reasoning as reasoning parts before the text', async () => {
				const fake = await start(c.kind);
				fake.enqueue({
					reasoning: 'The user greets me, so I should greet them back politely.',
					text: 'Hello there, how are you?'
				});
				const result = streamText({
					model: c.model(fake),
					prompt: 'Hello',
					providerOptions: c.reasoningOptions,
					maxRetries: 0
				});
				const parts = await partsOf(result.fullStream);
				const reasoningDeltas = parts.filter((part) => part.type === 'reasoning-delta');
				expect(reasoningDeltas.length).toBeGreaterThanOrEqual(3);
				expect(await result.reasoningText).toBe('The user greets me, so I should greet them back politely.');
				expect(await result.text).toBe('Hello there, how are you?');
				const firstReasoning = parts.findIndex((part) => part.type === 'reasoning-delta');
				const firstText = parts.findIndex((part) => part.type === 'text-delta');
				expect(firstReasoning).toBeLessThan(firstText);
				if (c.checkReasoningMetadata) {
					const [reasoning] = await result.reasoning;
					c.checkReasoningMetadata(reasoning.providerMetadata);
				}
			});
		}

		it('runs a tool call and sends its result back in the next request', async () => {
			const fake = await start(c.kind);
			fake.enqueue(
				{
					reasoning: c.reasoningOptions ? 'I should look up the weather in Oslo.' : undefined,
					toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }]
				},
				{ text: 'It is sunny in Oslo, 21 degrees.' }
			);
			const result = streamText({
				model: c.model(fake),
				prompt: 'Weather in Oslo?',
				tools: weatherTool,
				stopWhen: stepCountIs(2),
				providerOptions: c.reasoningOptions,
				maxRetries: 0
			});
			const parts = await partsOf(result.fullStream);
			const toolInputDeltas = parts.filter((part) => part.type === 'tool-input-delta');
			if (c.kind !== 'google') expect(toolInputDeltas.length).toBeGreaterThanOrEqual(2);
			const call = parts.find((part) => part.type === 'tool-call');
			expect(call).toMatchObject({ toolName: 'weather', input: { city: 'Oslo' } });
			const toolResult = parts.find((part) => part.type === 'tool-result');
			expect(toolResult).toMatchObject({ output: { city: 'Oslo', forecast: 'sunny', degrees: 21 } });
			expect(await result.text).toBe('It is sunny in Oslo, 21 degrees.');
			expect(fake.modelRequests()).toHaveLength(2);
			const steps = await result.steps;
			expect(steps[0].finishReason).toBe('tool-calls');
			// What the reasoning parts of the first step carried, then the tool call's.
			const firstStepEnd = parts.findIndex((part) => part.type === 'finish-step');
			const metadata = [
				...parts
					.slice(0, firstStepEnd)
					.filter((part) => part.type.startsWith('reasoning-'))
					.map((part) => (part as { providerMetadata?: Json }).providerMetadata),
				steps[0].toolCalls[0].providerMetadata
			];
			c.checkReplay(fake.modelRequests()[1].body, {
				toolCallId: (call as { toolCallId: string }).toolCallId,
				metadata
			});
		});

		it('parses several tool calls in one step', async () => {
			const fake = await start(c.kind);
			fake.enqueue({
				text: 'Checking both.',
				toolCalls: [
					{ name: 'weather', input: { city: 'Oslo' } },
					{ name: 'weather', input: { city: 'Lima' } }
				]
			});
			const result = streamText({
				model: c.model(fake),
				prompt: 'Weather in Oslo and Lima?',
				tools: weatherTool,
				maxRetries: 0
			});
			await result.consumeStream();
			const calls = await result.toolCalls;
			expect(calls.map((call) => call.input)).toEqual([{ city: 'Oslo' }, { city: 'Lima' }]);
			expect(new Set(calls.map((call) => call.toolCallId)).size).toBe(2);
			expect(await result.text).toBe('Checking both.');
			expect(await result.finishReason).toBe('tool-calls');
		});

		it('reports usage, with reasoning and cached tokens where the provider counts them', async () => {
			const fake = await start(c.kind);
			const usage = { input: 100, output: 50, reasoning: 30, cachedInput: 40 };
			fake.enqueue({ text: 'One.', usage }, { text: 'Two.', usage });
			const result = streamText({ model: c.model(fake), prompt: 'Count', maxRetries: 0 });
			await result.consumeStream();
			const total = await result.totalUsage;
			expect(total.inputTokens).toBe(c.expectedUsage.inputTokens);
			expect(total.outputTokens).toBe(c.expectedUsage.outputTokens);
			expect(total.outputTokenDetails.reasoningTokens).toBe(c.expectedUsage.reasoningTokens);
			expect(total.inputTokenDetails.cacheReadTokens).toBe(c.expectedUsage.cachedInputTokens);
			const generated = await generateText({ model: c.model(fake), prompt: 'Count', maxRetries: 0 });
			expect(generated.totalUsage.inputTokens).toBe(c.expectedUsage.inputTokens);
			expect(generated.totalUsage.outputTokenDetails.reasoningTokens).toBe(c.expectedUsage.reasoningTokens);
			expect(generated.totalUsage.inputTokenDetails.cacheReadTokens).toBe(c.expectedUsage.cachedInputTokens);
		});

		it('turns an HTTP error into an APICallError with its status and retry-after', async () => {
			const fake = await start(c.kind);
			fake.enqueue({ httpError: { status: 429, message: 'Slow down, please.', retryAfter: 7 } });
			const result = streamText({ model: c.model(fake), prompt: 'Hi', maxRetries: 0, onError: () => {} });
			const parts = await partsOf(result.fullStream);
			const error = parts.find((part) => part.type === 'error')?.error;
			expect(APICallError.isInstance(error)).toBe(true);
			const apiError = error as APICallError;
			expect(apiError.statusCode).toBe(429);
			expect(apiError.isRetryable).toBe(true);
			expect(apiError.responseHeaders?.['retry-after']).toBe('7');
			expect(apiError.message).toBe('Slow down, please.');

			fake.enqueue({ httpError: { status: 500 } });
			const failed = generateText({ model: c.model(fake), prompt: 'Hi', maxRetries: 0 });
			await expect(failed).rejects.toSatisfy((error: unknown) => APICallError.isInstance(error) && error.statusCode === 500);
		});

		it('names the requested model in a 404', async () => {
			const fake = await start(c.kind);
			fake.enqueue({ httpError: { status: 404 } });
			const model = c.model(fake);
			const failed = generateText({ model, prompt: 'Hi', maxRetries: 0 });
			await expect(failed).rejects.toSatisfy(
				(error: unknown) => APICallError.isInstance(error) && error.statusCode === 404 && error.message.includes(model.modelId)
			);
		});

		it('refuses a wrong API key with the provider’s own status', async () => {
			const fake = await start(c.kind, { apiKey: API_KEY });
			const failed = generateText({ model: c.model(fake, 'wrong-key-123456789'), prompt: 'Hi', maxRetries: 0 });
			await expect(failed).rejects.toSatisfy((error: unknown) => APICallError.isInstance(error) && error.statusCode === c.wrongKeyStatus);
			expect(fake.modelRequests()).toHaveLength(1);
		});

		for (const kind of ['provider', 'reset'] as const) {
			it(`surfaces a mid-stream ${kind} error after the text`, async () => {
				const fake = await start(c.kind);
				fake.enqueue({ text: 'Partial answer that will break.', midStreamError: kind });
				const result = streamText({ model: c.model(fake), prompt: 'Hi', maxRetries: 0, onError: () => {} });
				// An error chunk becomes an error part; a broken connection makes the stream itself fail.
				const parts: TextStreamPart<ToolSet>[] = [];
				let thrown: unknown;
				try {
					for await (const part of result.fullStream) parts.push(part);
				} catch (error) {
					thrown = error;
				}
				expect(textOf(parts)).toBe('Partial answer that will break.');
				const errorIndex = parts.findIndex((part) => part.type === 'error');
				const brokenConnection = kind === 'reset' || c.kind === 'google';
				if (brokenConnection) {
					expect(errorIndex).toBe(-1);
					expect(APICallError.isInstance(thrown)).toBe(true);
					expect((thrown as APICallError).cause).toMatchObject({ message: 'terminated' });
				} else {
					expect(thrown).toBeUndefined();
					expect(errorIndex).toBeGreaterThan(parts.findLastIndex((part) => part.type === 'text-delta'));
				}
				expect(fake.requests[0].closedByClient).toBe(false);
			});
		}

		it('fails a call without streaming: the provider’s overload status, or a dropped connection', async () => {
			const fake = await start(c.kind);
			fake.enqueue({ text: 'Never sent.', midStreamError: 'provider' }, { text: 'Never sent.', midStreamError: 'reset' });
			const overloaded = generateText({ model: c.model(fake), prompt: 'Hi', maxRetries: 0 });
			await expect(overloaded).rejects.toSatisfy(
				(error: unknown) => APICallError.isInstance(error) && (error.statusCode ?? 0) >= 500 && error.isRetryable
			);
			const dropped = generateText({ model: c.model(fake), prompt: 'Hi', maxRetries: 0 });
			await expect(dropped).rejects.toSatisfy((error: unknown) => APICallError.isInstance(error) && error.statusCode === undefined);
			expect(fake.modelRequests()).toHaveLength(2);
		});

		it('holds a hanging stream open until the client aborts, and records the close', async () => {
			const fake = await start(c.kind);
			fake.enqueue({ text: 'This answer never finishes.', hang: true });
			const controller = new AbortController();
			const result = streamText({
				model: c.model(fake),
				prompt: 'Hi',
				maxRetries: 0,
				abortSignal: controller.signal,
				onError: () => {}
			});
			const parts: TextStreamPart<ToolSet>[] = [];
			for await (const part of result.fullStream) {
				parts.push(part);
				if (part.type === 'text-delta') controller.abort();
			}
			await fake.waitForClientClose();
			expect(fake.requests[0].closedByClient).toBe(true);
			expect(textOf(parts)).toBe('This');
			expect(parts.at(-1)?.type).toBe('abort');
		});
	});
}

/** The raw body of one streamed model call. */
async function rawStream(fake: FakeProvider, path: string, body: object, headers: Record<string, string> = {}) {
	const response = await fetch(fake.baseURL + path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body)
	});
	expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
	return response.text();
}

describe('the bytes on the wire', () => {
	const step = {
		reasoning: 'Short thought here.',
		text: 'A short answer here.',
		toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }],
		usage: { input: 10, output: 40, reasoning: 12 }
	};

	it('Responses: an event line naming each data line’s type, sequence numbers from 0, no [DONE]', async () => {
		const fake = await start('openai-responses');
		fake.enqueue(step);
		const raw = await rawStream(fake, '/responses', { model: 'gpt-5-mini', stream: true, input: 'Hi' });
		const events = raw.split('\n\n').filter(Boolean);
		events.forEach((event, index) => {
			const [eventLine, dataLine] = event.split('\n');
			const data = JSON.parse(dataLine.slice('data: '.length));
			expect(eventLine).toBe(`event: ${data.type}`);
			expect(data.sequence_number).toBe(index);
		});
		expect(raw).not.toContain('[DONE]');
		expect(raw).toMatch(/"id":"resp_[0-9a-f]{50}"/);
		expect(raw).toMatch(/"call_id":"call_[A-Za-z0-9]{24}"/);
	});

	it('Chat Completions: bare data lines, usage only when asked, then data: [DONE]', async () => {
		const fake = await start('openai-chat');
		fake.enqueue(step, step);
		const withoutUsage = await rawStream(fake, '/chat/completions', { model: 'm', stream: true });
		expect(withoutUsage).not.toContain('"usage"');
		expect(withoutUsage).not.toMatch(/^event:/m);
		expect(withoutUsage.endsWith('data: [DONE]\n\n')).toBe(true);
		const withUsage = await rawStream(fake, '/chat/completions', {
			model: 'm',
			stream: true,
			stream_options: { include_usage: true }
		});
		const chunks = withUsage
			.split('\n\n')
			.filter((event) => event && event !== 'data: [DONE]')
			.map((event) => JSON.parse(event.slice('data: '.length)));
		expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
		expect(chunks.at(-1)).toMatchObject({
			choices: [],
			usage: { prompt_tokens: 10, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 12 } }
		});
		expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
	});

	it('Anthropic: event lines, a ping after the first block starts, message_stop last', async () => {
		const fake = await start('anthropic', { apiKey: API_KEY });
		fake.enqueue(step);
		const raw = await rawStream(
			fake,
			'/messages',
			{ model: 'claude-sonnet-4-5', stream: true, max_tokens: 100, messages: [] },
			{ 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' }
		);
		const types = raw
			.split('\n\n')
			.filter(Boolean)
			.map((event) => {
				const [eventLine, dataLine] = event.split('\n');
				const type = JSON.parse(dataLine.slice('data: '.length)).type;
				expect(eventLine).toBe(`event: ${type}`);
				return type;
			});
		expect(types.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
		expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
		expect(raw).toMatch(/"id":"toolu_01[A-Za-z0-9]{22}"/);
		expect(raw).toContain('"type":"signature_delta"');
		const missingVersion = await fetch(`${fake.baseURL}/messages`, {
			method: 'POST',
			headers: { 'x-api-key': API_KEY },
			body: '{}'
		});
		expect(missingVersion.status).toBe(400);
		expect(await missingVersion.json()).toMatchObject({
			type: 'error',
			error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' }
		});
	});

	it('Gemini: data lines ending in CRLF, usage counted so far in every chunk', async () => {
		const fake = await start('google');
		fake.enqueue(step);
		const raw = await rawStream(fake, '/models/gemini-2.5-flash:streamGenerateContent?alt=sse', {});
		expect(raw.endsWith('\r\n\r\n')).toBe(true);
		const chunks = raw
			.split('\r\n\r\n')
			.filter(Boolean)
			.map((event) => JSON.parse(event.slice('data: '.length)));
		const totals = chunks.map((chunk) => chunk.usageMetadata.totalTokenCount);
		expect(totals).toEqual([...totals].sort((a, b) => a - b));
		expect(totals[0]).toBeLessThan(50);
		expect(chunks.at(-1).usageMetadata).toMatchObject({
			promptTokenCount: 10,
			candidatesTokenCount: 28,
			thoughtsTokenCount: 12,
			totalTokenCount: 50
		});
		expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP');
		expect(chunks[0].candidates[0].content.parts[0]).toMatchObject({ thought: true });
	});
});

/** POSTs JSON to a fake and returns the status and parsed body. */
async function post(fake: FakeProvider, path: string, body: object, headers: Record<string, string> = {}) {
	const response = await fetch(fake.baseURL + path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body)
	});
	return { status: response.status, body: await response.json() };
}

describe('refusals the real APIs make', () => {
	const toolTurn = {
		reasoning: 'I should look up the weather in Oslo.',
		toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }]
	};
	const thinking = { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } } } satisfies ProviderOptions;

	it('Anthropic: a tool loop whose thinking block was dropped or forged', async () => {
		const fake = await start('anthropic');
		const model = createAnthropic({ baseURL: fake.baseURL, apiKey: API_KEY })('claude-sonnet-4-5');
		const history = (reasoning: object[]) => [
			{ role: 'user' as const, content: 'Weather in Oslo?' },
			{
				role: 'assistant' as const,
				content: [
					...(reasoning as { type: 'reasoning'; text: string }[]),
					{ type: 'tool-call' as const, toolCallId: 'toolu_01abc', toolName: 'weather', input: { city: 'Oslo' } }
				]
			},
			{
				role: 'tool' as const,
				content: [
					{
						type: 'tool-result' as const,
						toolCallId: 'toolu_01abc',
						toolName: 'weather',
						output: { type: 'json' as const, value: { forecast: 'sunny' } }
					}
				]
			}
		];
		const dropped = generateText({ model, messages: history([]), providerOptions: thinking, maxRetries: 0 });
		await expect(dropped).rejects.toThrow(/a final `assistant` message must start with a thinking block/);
		const forged = generateText({
			model,
			messages: history([{ type: 'reasoning', text: 'Hmm.', providerOptions: { anthropic: { signature: 'forged' } } }]),
			providerOptions: thinking,
			maxRetries: 0
		});
		await expect(forged).rejects.toThrow('messages.1.content.0: Invalid `signature` in `thinking` block');
		expect(fake.modelRequests()).toHaveLength(2);

		const headers = { 'anthropic-version': '2023-06-01' };
		const base = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] };
		const small = await post(fake, '/messages', { ...base, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 512 } }, headers);
		expect(small).toMatchObject({
			status: 400,
			body: { type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('budget_tokens') } }
		});
		const warm = await post(
			fake,
			'/messages',
			{ ...base, max_tokens: 2000, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 } },
			headers
		);
		expect(warm.body.error.message).toMatch(/^`temperature` may only be set to 1 when thinking is enabled/);
		const noMax = await post(fake, '/messages', base, headers);
		expect(noMax.body.error.message).toBe('max_tokens: Field required');
	});

	it('Gemini: a forged thought signature, and a Gemini 3 function call without one', async () => {
		const fake = await start('google');
		const path = (model: string) => `/models/${model}:generateContent`;
		const contents = (signature?: string) => [
			{ role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
			{
				role: 'model',
				parts: [{ functionCall: { name: 'weather', args: { city: 'Oslo' } }, ...(signature ? { thoughtSignature: signature } : {}) }]
			},
			{ role: 'user', parts: [{ functionResponse: { name: 'weather', response: { forecast: 'sunny' } } }] }
		];
		const missing = await post(fake, path('gemini-3-pro-preview'), { contents: contents() });
		expect(missing.status).toBe(400);
		expect(missing.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
		expect(missing.body.error.message).toMatch(
			/^Function call is missing a thought_signature in functionCall parts\..*`default_api:weather` , position 2\./
		);
		// Gemini 2.5 takes a function call without a signature; the documented skip value passes Gemini 3.
		expect((await post(fake, path('gemini-2.5-flash'), { contents: contents() })).status).toBe(200);
		const skipped = await post(fake, path('gemini-3-pro-preview'), {
			contents: contents('skip_thought_signature_validator')
		});
		expect(skipped.status).toBe(200);
		const forged = await post(fake, path('gemini-2.5-flash'), { contents: contents('Zm9yZ2Vk') });
		expect(forged).toMatchObject({
			status: 400,
			body: { error: { code: 400, message: 'Corrupted thought signature.', status: 'INVALID_ARGUMENT' } }
		});
	});

	it('Responses: reasoning items, encrypted content and tool outputs that do not add up', async () => {
		const fake = await start('openai-responses');
		fake.enqueue(toolTurn, { text: 'Sunny.' }, toolTurn);
		const first = await post(fake, '/responses', {
			model: 'gpt-5-mini',
			input: 'Weather in Oslo?',
			store: false,
			include: ['reasoning.encrypted_content']
		});
		const [reasoning, call] = first.body.output;
		expect(reasoning.type).toBe('reasoning');
		const output = { type: 'function_call_output', call_id: call.call_id, output: '{"forecast":"sunny"}' };
		const again = (input: object[], extra: object = {}) => post(fake, '/responses', { model: 'gpt-5-mini', store: false, input, ...extra });

		const withoutReasoning = await again([call, output]);
		expect(withoutReasoning.status).toBe(400);
		expect(withoutReasoning.body.error.message).toBe(
			`Item '${call.id}' of type 'function_call' was provided without its required 'reasoning' item: '${reasoning.id}'.`
		);
		const reasoningById = await again([{ ...reasoning, encrypted_content: undefined }, call, output]);
		expect(reasoningById.status).toBe(404);
		expect(reasoningById.body.error.message).toMatch(/Items are not persisted when `store` is set to false/);
		const tampered = await again([{ ...reasoning, encrypted_content: 'gAAAAABforged' }, call, output]);
		expect(tampered.body.error.code).toBe('invalid_encrypted_content');
		const orphan = await again([{ ...output, call_id: 'call_unknown' }]);
		expect(orphan.body.error).toMatchObject({
			message: 'No tool call found for function call output with call_id call_unknown.',
			type: 'invalid_request_error',
			param: 'input'
		});
		expect((await again([reasoning, call, output])).status).toBe(200);

		// With storage on, the same items can come back as references.
		const stored = await post(fake, '/responses', { model: 'gpt-5-mini', input: 'Weather in Oslo?' });
		const references = stored.body.output.map((item: Json) => ({ type: 'item_reference', id: item.id }));
		const byReference = await post(fake, '/responses', {
			model: 'gpt-5-mini',
			input: [...references, { ...output, call_id: stored.body.output[1].call_id }]
		});
		expect(byReference.status).toBe(200);
		const unknown = await post(fake, '/responses', {
			model: 'gpt-5-mini',
			input: [{ type: 'item_reference', id: 'rs_unknown' }]
		});
		expect(unknown).toMatchObject({ status: 404, body: { error: { message: "Item with id 'rs_unknown' not found." } } });
	});

	it('Chat Completions: tool messages without their call, calls without their answer', async () => {
		const fake = await start('openai-chat');
		const assistant = {
			role: 'assistant',
			content: null,
			tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } }]
		};
		const toolMessage = { role: 'tool', tool_call_id: 'call_1', content: 'sunny' };
		const user = { role: 'user', content: 'Weather?' };
		const orphan = await post(fake, '/chat/completions', { model: 'm', messages: [user, toolMessage] });
		expect(orphan).toMatchObject({
			status: 400,
			body: { error: { param: 'messages.[1].role', type: 'invalid_request_error' } }
		});
		expect(orphan.body.error.message).toMatch(/must be a response to a preceeding message with 'tool_calls'/);
		const unanswered = await post(fake, '/chat/completions', { model: 'm', messages: [user, assistant, user] });
		expect(unanswered.body.error.message).toMatch(/The following tool_call_ids did not have response messages: call_1$/);
		const fine = await post(fake, '/chat/completions', { model: 'm', messages: [user, assistant, toolMessage] });
		expect(fine.status).toBe(200);
	});

	it('lets everything through with validateRequests: false', async () => {
		const fake = await start('openai-chat', { validateRequests: false });
		const orphan = { role: 'tool', tool_call_id: 'call_1', content: 'sunny' };
		const response = await post(fake, '/chat/completions', { model: 'm', messages: [orphan] });
		expect(response.status).toBe(200);
		expect(response.body.choices[0].message.content).toBe('Hello from openai-chat.');
	});
});

describe('model lists', () => {
	it('answers GET …/models in each provider’s shape and records it', async () => {
		const expected: Record<ProviderKind, (body: Json) => void> = {
			'openai-responses': (body) => expect(body.data.map((model: Json) => model.id)).toEqual(['a-model', 'b-model']),
			'openai-chat': (body) =>
				expect(body).toMatchObject({
					object: 'list',
					data: [{ id: 'a-model', object: 'model', owned_by: 'system' }, { id: 'b-model' }]
				}),
			anthropic: (body) =>
				expect(body).toMatchObject({
					data: [
						{ type: 'model', id: 'a-model' },
						{ type: 'model', id: 'b-model' }
					],
					has_more: false
				}),
			google: (body) => expect(body.models[1]).toMatchObject({ name: 'models/b-model' })
		};
		for (const kind of Object.keys(expected) as ProviderKind[]) {
			const server = await start(kind, { models: ['a-model', 'b-model'], apiKey: API_KEY });
			const headers = {
				authorization: `Bearer ${API_KEY}`,
				'x-api-key': API_KEY,
				'anthropic-version': '2023-06-01',
				'x-goog-api-key': API_KEY
			};
			const response = await fetch(`${server.baseURL}/models`, { headers });
			expect(response.status).toBe(200);
			expected[kind](await response.json());
			const wrongKeys = { authorization: 'Bearer nope', 'x-api-key': 'nope', 'x-goog-api-key': 'nope' };
			const refused = await fetch(`${server.baseURL}/models`, { headers: { ...headers, ...wrongKeys } });
			expect(refused.status).toBe(kind === 'google' ? 400 : 401);
			const modelsPath = `${new URL(server.baseURL).pathname}/models`;
			expect(server.requests.map((request) => request.path)).toEqual([modelsPath, modelsPath]);
			expect(server.modelRequests()).toHaveLength(0);
			await server.close();
			fake = undefined;
		}
	});
});

describe('the official openai SDK', () => {
	it('streams a Responses answer with reasoning, text and a function call', async () => {
		const fake = await start('openai-responses');
		fake.enqueue({
			reasoning: 'Looking up the weather first.',
			text: 'Let me check.',
			toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }],
			usage: { input: 12, output: 34, reasoning: 5 }
		});
		const client = new OpenAI({ baseURL: fake.baseURL, apiKey: API_KEY, maxRetries: 0 });
		const stream = await client.responses.create({
			model: 'gpt-5-mini',
			input: 'Weather in Oslo?',
			stream: true,
			reasoning: { effort: 'low', summary: 'auto' },
			include: ['reasoning.encrypted_content']
		});
		const types: string[] = [];
		let completed: OpenAI.Responses.Response | undefined;
		const sequence: number[] = [];
		for await (const event of stream) {
			types.push(event.type);
			sequence.push(event.sequence_number);
			if (event.type === 'response.completed') completed = event.response;
		}
		expect(sequence).toEqual(sequence.map((_, index) => index));
		expect(types[0]).toBe('response.created');
		expect(types).toContain('response.reasoning_summary_text.delta');
		expect(types).toContain('response.function_call_arguments.delta');
		expect(types.at(-1)).toBe('response.completed');
		expect(completed?.output[1]).toMatchObject({
			type: 'message',
			content: [{ type: 'output_text', text: 'Let me check.' }]
		});
		expect(completed?.usage).toMatchObject({
			input_tokens: 12,
			output_tokens: 34,
			output_tokens_details: { reasoning_tokens: 5 }
		});
		const [reasoning, , call] = completed!.output;
		expect(reasoning).toMatchObject({ type: 'reasoning', encrypted_content: expect.stringMatching(/^gAAAAAB/) });
		expect(call).toMatchObject({ type: 'function_call', name: 'weather', arguments: '{"city":"Oslo"}' });
	});

	it('streams a Chat Completions answer with tool calls and usage', async () => {
		const fake = await start('openai-chat');
		fake.enqueue({
			text: 'Checking the weather now.',
			toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }]
		});
		const client = new OpenAI({ baseURL: fake.baseURL, apiKey: API_KEY, maxRetries: 0 });
		const stream = client.chat.completions.stream({
			model: 'gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Weather in Oslo?' }],
			stream_options: { include_usage: true }
		});
		const deltas: string[] = [];
		stream.on('content', (delta) => deltas.push(delta));
		const completion = await stream.finalChatCompletion();
		expect(deltas.length).toBeGreaterThanOrEqual(3);
		expect(completion.choices[0].message.content).toBe('Checking the weather now.');
		expect(completion.choices[0].message.tool_calls?.[0]).toMatchObject({
			type: 'function',
			function: { name: 'weather', arguments: '{"city":"Oslo"}' }
		});
		expect(completion.choices[0].finish_reason).toBe('tool_calls');
		expect(completion.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 20 });
	});

	it('reports an HTTP error as the SDK’s error class with OpenAI’s body', async () => {
		const fake = await start('openai-chat');
		fake.enqueue({ httpError: { status: 429, retryAfter: 3 } });
		const client = new OpenAI({ baseURL: fake.baseURL, apiKey: API_KEY, maxRetries: 0 });
		const failed = client.chat.completions.create({
			model: 'gpt-4.1-mini',
			messages: [{ role: 'user', content: 'Hi' }]
		});
		await expect(failed).rejects.toSatisfy(
			(error: unknown) =>
				error instanceof OpenAI.RateLimitError && error.code === 'rate_limit_exceeded' && error.headers.get('retry-after') === '3'
		);
	});
});
