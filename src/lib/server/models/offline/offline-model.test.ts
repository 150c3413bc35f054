import { describe, expect, it, vi } from 'vitest';
import { generateText, jsonSchema, stepCountIs, streamText, tool, type ModelMessage, type ToolSet } from 'ai';
import type {
	LanguageModelV3CallOptions,
	LanguageModelV3Prompt,
	LanguageModelV3StreamPart,
	LanguageModelV3ToolResultOutput
} from '@ai-sdk/provider';
import { z } from 'zod';
import { OfflineModel } from './offline-model';

const GREETING =
	"Hello! I am Parley's offline demo model. Send me a message and I will echo it back, call a tool you name, or write a long answer when you ask for one.";
const ECHO_TAIL = "I am Parley's offline demo model, so I answer without calling an external AI service.";

/** A calculator that really evaluates `a*b` / `a+b` and fails on division by zero. */
const calculator = tool({
	description: 'Evaluates an arithmetic expression',
	inputSchema: z.object({ expression: z.string().describe('e.g. 6*7') }),
	execute: async ({ expression }) => {
		if (/\/\s*0\b/.test(expression)) throw new Error('division by zero');
		const [a, op, b] = expression.split(/([*+])/);
		return op === '*' ? Number(a) * Number(b) : Number(a) + Number(b);
	}
});

const currentTime = tool({
	description: 'The current time in a timezone',
	inputSchema: z.object({ timezone: z.string().default('UTC') }),
	execute: async ({ timezone }) => `12:00 in ${timezone}`
});

const search = tool({
	description: 'Searches documents',
	inputSchema: jsonSchema<{ query: string; limit?: number; exact?: boolean }>({
		type: 'object',
		properties: {
			query: { type: 'string' },
			limit: { type: 'integer', examples: [10] },
			exact: { type: 'boolean' }
		},
		required: ['query'],
		additionalProperties: false
	}),
	execute: async ({ query }) => ({ hits: 2, query })
});

const allTools = { calculator, current_time: currentTime, search };

type FullPart = { type: string } & Record<string, unknown>;

/** Runs the model through the real `streamText` and collects what it produced. */
async function run(
	input: string | ModelMessage[],
	{ tools = allTools, tokenDelayMs = 0 }: { tools?: ToolSet; tokenDelayMs?: number } = {}
) {
	const result = streamText({
		model: new OfflineModel({ tokenDelayMs }),
		tools,
		stopWhen: stepCountIs(3),
		...(typeof input === 'string' ? { prompt: input } : { messages: input })
	});
	const parts: FullPart[] = [];
	for await (const part of result.fullStream) parts.push(part);
	const steps = await result.steps;
	return {
		parts,
		steps,
		text: await result.text,
		textDeltas: parts.flatMap((part) => (part.type === 'text-delta' ? [String(part.text)] : [])),
		toolCalls: parts.filter((part) => part.type === 'tool-call'),
		toolResults: parts.filter((part) => part.type === 'tool-result')
	};
}

/** Calls `doStream` directly and collects every part. */
async function streamDirect(options: Partial<LanguageModelV3CallOptions> & { prompt: LanguageModelV3Prompt }) {
	const { stream } = await new OfflineModel({ tokenDelayMs: 0 }).doStream(options);
	const parts: LanguageModelV3StreamPart[] = [];
	for await (const part of stream) parts.push(part);
	return parts;
}

/** The concatenated text deltas of model stream parts. */
function textOf(parts: LanguageModelV3StreamPart[]): string {
	return parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
}

function userPrompt(text: string): LanguageModelV3Prompt {
	return [{ role: 'user', content: [{ type: 'text', text }] }];
}

function toolResultPrompt(output: LanguageModelV3ToolResultOutput): LanguageModelV3Prompt {
	return [
		...userPrompt('use the calculator with expression=1/0'),
		{
			role: 'assistant',
			content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '1/0' } }]
		},
		{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'calculator', output }] }
	];
}

function wordCount(text: string): number {
	return text.split(/\s+/).filter(Boolean).length;
}

describe('OfflineModel', () => {
	it('identifies itself as the offline provider', () => {
		const model = new OfflineModel({});
		expect(model.specificationVersion).toBe('v3');
		expect(model.provider).toBe('offline');
		expect(model.modelId).toBe('mock');
		expect(new OfflineModel({ modelId: 'demo' }).modelId).toBe('demo');
	});

	it('echoes the request word by word, after a short reasoning part', async () => {
		const { parts, text, textDeltas, steps } = await run('Hello there, how are you?');

		expect(text).toBe(`You said: "Hello there, how are you?" ${ECHO_TAIL}`);
		expect(textDeltas.slice(0, 4)).toEqual(['You ', 'said: ', '"Hello ', 'there, ']);
		expect(textDeltas.at(-1)).toBe('service.');
		for (const delta of textDeltas) expect(delta).toMatch(/^\S+\s*$/);
		expect(textDeltas.join('')).toBe(text);

		const types = parts.map((part) => part.type);
		expect(types.indexOf('reasoning-start')).toBeLessThan(types.indexOf('text-start'));
		expect(types.indexOf('reasoning-end')).toBeLessThan(types.indexOf('text-start'));
		expect(steps[0].reasoningText).toBe('The user asked about "Hello there, how are you?". I will answer directly.');
		expect(steps).toHaveLength(1);
		expect(steps[0].finishReason).toBe('stop');
		expect(steps[0].usage).toMatchObject({
			inputTokens: 5,
			outputTokens: wordCount(text) + wordCount(steps[0].reasoningText ?? '')
		});
	});

	it('quotes at most 30 words of a long message', async () => {
		const words = Array.from({ length: 40 }, (_, i) => `w${i + 1}`);
		const { text } = await run(words.join(' '));
		expect(text).toBe(`You said: "${words.slice(0, 30).join(' ')}…" ${ECHO_TAIL}`);
	});

	it('is deterministic: the same prompt gives the same output', async () => {
		const prompt = 'Use the calculator with {"expression": "6*7"} and tell me a joke';
		const first = await run(prompt);
		const second = await run(prompt);
		const strip = (parts: FullPart[]) =>
			parts.filter((part) => /delta|tool-call|tool-result/.test(part.type)).map((part) => JSON.stringify({ ...part, id: undefined }));
		expect(strip(second.parts)).toEqual(strip(first.parts));
		expect(second.steps[0].response.id).toBe(first.steps[0].response.id);
	});

	it('calls a tool named in the message with JSON arguments, then quotes its result', async () => {
		const { parts, steps, toolCalls, toolResults, text } = await run('Please use the calculator: {"expression": "6*7"}');

		expect(toolCalls).toHaveLength(1);
		expect(toolCalls[0]).toMatchObject({
			toolCallId: 'call_1',
			toolName: 'calculator',
			input: { expression: '6*7' }
		});
		expect(parts.find((part) => part.type === 'tool-input-delta')).toMatchObject({
			id: 'call_1',
			delta: '{"expression":"6*7"}'
		});
		expect(toolResults[0]).toMatchObject({ output: 42 });

		expect(steps).toHaveLength(2);
		expect(steps[0].finishReason).toBe('tool-calls');
		expect(steps[0].text).toBe('Let me use the calculator tool.');
		expect(steps[0].reasoningText).toBe(
			'The user asked about "Please use the calculator: {"expression": "6*7"}". I will call the calculator tool.'
		);
		expect(steps[1].finishReason).toBe('stop');
		expect(steps[1].toolCalls).toHaveLength(0);
		expect(steps[1].text).toBe('The calculator tool returned: 42.');
		expect(steps[1].reasoningText).toBe('I received the result of the calculator tool. I will report it to the user.');
		expect(text).toBe('The calculator tool returned: 42.');
	});

	it('reads key=value arguments, with quoted strings and coercion to the schema type', async () => {
		const { toolCalls, steps } = await run('search query="hello \\"big\\" world" limit=5 exact=yes ignored=1, thanks');
		expect(toolCalls).toHaveLength(1);
		expect(toolCalls[0]).toMatchObject({
			toolName: 'search',
			input: { query: 'hello "big" world', limit: 5, exact: true }
		});
		expect(toolCalls[0].input).not.toHaveProperty('ignored');
		expect(steps[1].text).toBe('The search tool returned: {"hits":2,"query":"hello \\"big\\" world"}.');
	});

	it('fills missing arguments from the schema default, else from its examples', async () => {
		const time = await run('What is the Current Time right now?');
		expect(time.toolCalls[0]).toMatchObject({ toolName: 'current_time', input: { timezone: 'UTC' } });
		expect(time.text).toBe('The current_time tool returned: 12:00 in UTC.');

		const paris = await run('current_time timezone=Europe/Paris.');
		expect(paris.toolCalls[0]).toMatchObject({ input: { timezone: 'Europe/Paris' } });

		const searched = await run('search query=tea');
		expect(searched.toolCalls[0]).toMatchObject({ input: { query: 'tea', limit: 10 } });
	});

	it('asks for a missing required argument instead of calling the tool', async () => {
		const execute = vi.fn(async () => 0);
		const tools = { calculator: tool({ ...calculator, execute }) };
		const { text, toolCalls, steps } = await run('Can the calculator help me?', { tools });

		expect(toolCalls).toHaveLength(0);
		expect(execute).not.toHaveBeenCalled();
		expect(steps).toHaveLength(1);
		expect(steps[0].finishReason).toBe('stop');
		expect(text).toBe(
			'To use the calculator tool I need the "expression" argument. Please provide it, for example: calculator expression="…"'
		);
		expect(steps[0].reasoningText).toBe(
			'The user asked about "Can the calculator help me?". The calculator tool needs the "expression" argument, so I will ask for it.'
		);
	});

	it('matches tool names on word boundaries only', async () => {
		const { toolCalls, text } = await run('calculators and time_current are not tools');
		expect(toolCalls).toHaveLength(0);
		expect(text).toContain('calculators and time_current are not tools');
	});

	it('matches camelCase and kebab-case names as words and prefers the longer overlapping name', async () => {
		const tools: LanguageModelV3CallOptions['tools'] = [
			{ type: 'function', name: 'time', inputSchema: { type: 'object', properties: {} } },
			{ type: 'function', name: 'current_time', inputSchema: { type: 'object', properties: {} } },
			{
				type: 'function',
				name: 'getWeather',
				inputSchema: {
					type: 'object',
					properties: { days: { anyOf: [{ type: 'integer' }, { type: 'null' }] } }
				}
			},
			{ type: 'function', name: 'web-search', inputSchema: { type: 'object' } }
		];
		const parts = await streamDirect({
			prompt: userPrompt('Web Search, then get weather days=3, then the current time, then time'),
			tools
		});
		const calls = parts.flatMap((part) => (part.type === 'tool-call' ? [[part.toolName, part.input]] : []));
		expect(calls).toEqual([
			['web-search', '{"days":"3"}'],
			['getWeather', '{"days":3}'],
			['current_time', '{}'],
			['time', '{}']
		]);
		expect(parts.at(-1)).toMatchObject({ finishReason: { unified: 'tool-calls' } });
	});

	it('calls the complete tools and asks for the arguments of the others', async () => {
		const { steps } = await run('Give me the current time and use the calculator');
		expect(steps[0].toolCalls.map((call) => call.toolName)).toEqual(['current_time']);
		expect(steps[0].text).toBe(
			'Let me use the current_time tool.\n\n' +
				'To use the calculator tool I need the "expression" argument. Please provide it, for example: calculator expression="…"'
		);
		expect(steps[1].text).toBe('The current_time tool returned: 12:00 in UTC.');
	});

	it('calls every named tool, in the order they appear, in one step', async () => {
		const { steps } = await run('First the current time, then the calculator with expression=2+3');
		expect(steps[0].toolCalls.map((call) => [call.toolCallId, call.toolName, call.input])).toEqual([
			['call_1', 'current_time', { timezone: 'UTC' }],
			['call_2', 'calculator', { expression: '2+3' }]
		]);
		expect(steps[0].text).toBe('Let me use the current_time and calculator tools.');
		expect(steps[1].text).toBe('The current_time tool returned: 12:00 in UTC. The calculator tool returned: 5.');
	});

	it('numbers tool call ids after the tool calls already in the conversation', async () => {
		const { toolCalls } = await run([
			{ role: 'user', content: 'calculator expression=1+1' },
			{
				role: 'assistant',
				content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '1+1' } }]
			},
			{
				role: 'tool',
				content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'calculator', output: { type: 'json', value: 2 } }]
			},
			{ role: 'assistant', content: 'The calculator tool returned: 2.' },
			{ role: 'user', content: 'calculator expression=2*3' }
		]);
		expect(toolCalls.map((call) => call.toolCallId)).toEqual(['call_2']);
	});

	it('reports tool failures', async () => {
		const { steps } = await run('calculator expression="1 / 0"');
		expect(steps[1].text).toBe('The calculator tool failed: division by zero.');
	});

	it('quotes every kind of tool output', async () => {
		const cases: Array<[LanguageModelV3ToolResultOutput, string]> = [
			[{ type: 'text', value: 'It is noon.' }, 'The calculator tool returned: It is noon.'],
			[{ type: 'json', value: { answer: 42 } }, 'The calculator tool returned: {"answer":42}.'],
			[{ type: 'error-text', value: 'boom' }, 'The calculator tool failed: boom.'],
			[{ type: 'error-json', value: { code: 7 } }, 'The calculator tool failed: {"code":7}.'],
			[{ type: 'execution-denied' }, 'The calculator tool was not run: the call was denied.']
		];
		for (const [output, expected] of cases) {
			const parts = await streamDirect({ prompt: toolResultPrompt(output), tools: [] });
			expect(textOf(parts)).toBe(expected);
			expect(parts.some((part) => part.type === 'tool-call')).toBe(false);
		}
	});

	it('mentions every attachment by name and kind and quotes text files', async () => {
		const notes = new TextEncoder().encode('Meeting notes: buy milk, call Alice, fix the bike, water the plants, and sleep early.');
		const { text } = await run([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What do you think?' },
					{ type: 'file', data: new Uint8Array([137, 80, 78, 71]), mediaType: 'image/png', filename: 'photo.png' },
					{ type: 'file', data: notes, mediaType: 'text/plain', filename: 'notes.txt' },
					{ type: 'file', data: btoa('%PDF-1.4'), mediaType: 'application/pdf', filename: 'report.pdf' },
					{ type: 'file', data: new Uint8Array([1, 2]), mediaType: 'audio/mpeg', filename: 'song.mp3' },
					{
						type: 'file',
						data: btoa('hello from a base64 file'),
						mediaType: 'text/markdown',
						filename: 'readme.md'
					}
				]
			}
		]);
		expect(text).toBe(
			'I received 5 attachments: photo.png (image), notes.txt (document), report.pdf (document), ' +
				'song.mp3 (audio), readme.md (document). ' +
				'notes.txt begins: "Meeting notes: buy milk, call Alice, fix the bike, water the plants…" ' +
				'readme.md begins: "hello from a base64 file".' +
				`\n\nYou said: "What do you think?" ${ECHO_TAIL}`
		);
	});

	it('reads a document sent as its extracted text as an attachment, not as the question', async () => {
		const { text } = await run([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'Summarise this.' },
					{ type: 'text', text: '[File report.pdf]\nQuarterly revenue grew by twelve percent in the northern region.' }
				]
			}
		]);
		expect(text).toBe(
			'I received 1 attachment: report.pdf (document). ' +
				'report.pdf begins: "Quarterly revenue grew by twelve percent in the northern region."' +
				`\n\nYou said: "Summarise this." ${ECHO_TAIL}`
		);
	});

	it('joins the text read from an image to the image, and answers to audio and video it was only told about', async () => {
		const { text } = await run([
			{
				role: 'user',
				content: [
					{ type: 'text', text: 'What is this?' },
					{ type: 'file', data: new Uint8Array([137, 80, 78, 71]), mediaType: 'image/png', filename: 'sign.png' },
					{ type: 'text', text: '[File sign.png (text read from the image)]\nPARLEY OCR 42' },
					{ type: 'text', text: '[Audio file "memo.mp3", audio/mpeg, 1.2 MB — this model cannot listen to audio]' },
					{ type: 'text', text: '[Video file "clip.mp4", video/mp4, 3 MB — this model cannot watch video]' },
					{ type: 'text', text: '[File "bundle.zip", application/zip, 2 KB — this model cannot read files of this type]' }
				]
			}
		]);
		expect(text).toBe(
			'I received 4 attachments: sign.png (image), memo.mp3 (audio), clip.mp4 (video), bundle.zip (document). ' +
				'sign.png begins: "PARLEY OCR 42". ' +
				'I received an audio file named memo.mp3 (audio/mpeg, 1.2 MB), but I cannot listen to audio. ' +
				'I received a video file named clip.mp4 (video/mp4, 3 MB), but I cannot watch video. ' +
				'I could not open bundle.zip (application/zip, 2 KB): this model cannot read files of this type.' +
				`\n\nYou said: "What is this?" ${ECHO_TAIL}`
		);
	});

	it('asks what to do with attachments sent without text', async () => {
		const parts = await streamDirect({
			prompt: [{ role: 'user', content: [{ type: 'file', data: new Uint8Array([0]), mediaType: 'video/mp4' }] }]
		});
		expect(textOf(parts)).toBe('I received 1 attachment: attachment 1 (video).\n\nWhat would you like me to do with it?');
	});

	it('writes at least 200 words when asked for a long answer', async () => {
		const { text, textDeltas } = await run('Give me A LONG ANSWER about the history of tea.');
		expect(wordCount(text)).toBeGreaterThanOrEqual(200);
		expect(textDeltas).toHaveLength(wordCount(text));
		expect(text.startsWith('Here is a long answer about the history of tea. ')).toBe(true);
		expect(text.split('\n\n')).toHaveLength(4);
		expect(text.split(/[.!?](?:\s|$)/).length).toBeGreaterThan(10);

		const noTopic = await run('a long answer please');
		expect(wordCount(noTopic.text)).toBeGreaterThanOrEqual(200);
		expect(noTopic.text).toContain('about your request.');
	});

	it('answers a request for a code example with a fenced TypeScript block, newlines kept', async () => {
		const { text, textDeltas, steps } = await run('Could you show me A Code Example?');
		expect(text).toBe(
			[
				'Here is a code example in TypeScript:',
				'',
				'```ts',
				'/** Greets someone by name. */',
				'export function greet(name: string): string {',
				'\treturn `Hello, ${name}!`;',
				'}',
				'```',
				'',
				"I am Parley's offline demo model, so this example comes from a fixed template."
			].join('\n')
		);
		expect(textDeltas.join('')).toBe(text);
		expect(textDeltas).toContain('TypeScript:\n\n');
		expect(steps[0].reasoningText).toBe(
			'The user asked about "Could you show me A Code Example?". I will show a short TypeScript example.'
		);
		expect((await run('Could you show me A Code Example?')).text).toBe(text);
		expect((await run('a long answer with a code example')).text).toContain('Here is a long answer');
	});

	it('greets when there is no user message or no text', async () => {
		expect(textOf(await streamDirect({ prompt: [] }))).toBe(GREETING);
		expect(textOf(await streamDirect({ prompt: userPrompt('   ') }))).toBe(GREETING);
	});

	it('starts the stream with stream-start and response metadata and ends with finish', async () => {
		const parts = await streamDirect({ prompt: userPrompt('hi') });
		expect(parts[0]).toEqual({ type: 'stream-start', warnings: [] });
		expect(parts[1]).toMatchObject({ type: 'response-metadata', modelId: 'mock' });
		expect(parts.at(-1)).toEqual({
			type: 'finish',
			finishReason: { unified: 'stop', raw: undefined },
			usage: {
				inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
				outputTokens: { total: 27, text: 18, reasoning: 9 }
			}
		});
	});

	it('answers the same through doGenerate', async () => {
		const prompt = 'calculator {"expression": "6*7"}';
		const generated = await generateText({
			model: new OfflineModel({}),
			tools: allTools,
			stopWhen: stepCountIs(3),
			prompt
		});
		const streamed = await run(prompt);
		expect(generated.text).toBe(streamed.text);
		const reasoningOf = (steps: Array<{ reasoningText: string | undefined }>) => steps.map((step) => step.reasoningText);
		expect(reasoningOf(generated.steps)).toEqual(reasoningOf(streamed.steps));
		expect(generated.steps[0].toolCalls[0]).toMatchObject({
			toolCallId: 'call_1',
			input: { expression: '6*7' }
		});
	});

	it('does not call tools when toolChoice is none', async () => {
		const parts = await streamDirect({
			prompt: userPrompt('calculator expression=1+1'),
			tools: [{ type: 'function', name: 'calculator', inputSchema: { type: 'object' } }],
			toolChoice: { type: 'none' }
		});
		expect(parts.some((part) => part.type === 'tool-call')).toBe(false);
	});

	it('yields to the event loop while streaming a large answer without delay', async () => {
		let ranMacrotask = false;
		setImmediate(() => (ranMacrotask = true));
		const model = new OfflineModel({ tokenDelayMs: 0 });
		const { stream } = await model.doStream({ prompt: userPrompt('a long answer') });
		const reader = stream.getReader();
		let sawMacrotaskBeforeEnd = false;
		for (;;) {
			const { done } = await reader.read();
			if (done) break;
			sawMacrotaskBeforeEnd ||= ranMacrotask;
		}
		expect(sawMacrotaskBeforeEnd).toBe(true);
	});

	it('stops streamText promptly when aborted after the first text delta', async () => {
		const controller = new AbortController();
		const result = streamText({
			model: new OfflineModel({ tokenDelayMs: 20 }),
			prompt: 'Tell me something about the ocean and the waves',
			abortSignal: controller.signal
		});
		const types: string[] = [];
		for await (const part of result.fullStream) {
			types.push(part.type);
			if (part.type === 'text-delta') controller.abort();
		}
		expect(types.filter((type) => type === 'text-delta')).toHaveLength(1);
		expect(types.at(-1)).toBe('abort');
		expect(types).not.toContain('finish-step');
	});

	it('errors the model stream with an AbortError as soon as the signal fires, mid-pause', async () => {
		const controller = new AbortController();
		// A one-minute pause between words: the test only finishes in time if abort interrupts it.
		const { stream } = await new OfflineModel({ tokenDelayMs: 60_000 }).doStream({
			prompt: userPrompt('hello'),
			abortSignal: controller.signal
		});
		const reader = stream.getReader();
		let part = await reader.read();
		while (!part.done && part.value.type !== 'reasoning-delta') part = await reader.read();
		expect(part.value).toMatchObject({ type: 'reasoning-delta', delta: 'The ' });

		const next = reader.read();
		controller.abort();
		await expect(next).rejects.toMatchObject({ name: 'AbortError' });
	});

	it('rejects at once when the signal has already aborted', async () => {
		const model = new OfflineModel({});
		const signal = AbortSignal.abort();
		await expect(model.doStream({ prompt: userPrompt('hi'), abortSignal: signal })).rejects.toMatchObject({
			name: 'AbortError'
		});
		await expect(model.doGenerate({ prompt: userPrompt('hi'), abortSignal: signal })).rejects.toMatchObject({
			name: 'AbortError'
		});
	});
});
