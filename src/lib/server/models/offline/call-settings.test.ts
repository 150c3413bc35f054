import type { LanguageModelV3CallOptions, LanguageModelV3FunctionTool, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { jsonSchema, Output, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OfflineModel } from './offline-model';
import { schemaValue } from './schema-value';

const calculatorTool: LanguageModelV3FunctionTool = {
	type: 'function',
	name: 'calculator',
	inputSchema: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] }
};
const weatherTool: LanguageModelV3FunctionTool = {
	type: 'function',
	name: 'weather',
	inputSchema: {
		type: 'object',
		properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 }, metric: { type: 'boolean' } },
		required: ['city', 'days']
	}
};

/** Calls `doStream` with a user message and collects every part. */
async function stream(text: string, options: Partial<LanguageModelV3CallOptions> = {}) {
	const { stream } = await new OfflineModel({ tokenDelayMs: 0 }).doStream({
		prompt: [{ role: 'user', content: [{ type: 'text', text }] }],
		...options
	});
	const parts: LanguageModelV3StreamPart[] = [];
	for await (const part of stream) parts.push(part);
	const text_ = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');
	const reasoning = parts.flatMap((part) => (part.type === 'reasoning-delta' ? [part.delta] : [])).join('');
	const calls = parts.filter((part) => part.type === 'tool-call');
	const finish = parts.find((part) => part.type === 'finish');
	return { parts, text: text_, reasoning, calls, finish };
}

describe('offline model: tool choice', () => {
	const tools = [calculatorTool, weatherTool];

	it('calls the first tool with `required` even when the message names none, its input built from the schema', async () => {
		const { calls, text, finish } = await stream('Hello there', { tools, toolChoice: { type: 'required' } });
		expect(calls).toStrictEqual([
			{ type: 'tool-call', toolCallId: 'call_1', toolName: 'calculator', input: JSON.stringify({ expression: 'Hello there' }) }
		]);
		expect(text).toBe('Let me use the calculator tool.');
		expect(finish).toMatchObject({ finishReason: { unified: 'tool-calls' } });
	});

	it('calls the named tool, with the arguments the message gives and the rest from the schema', async () => {
		const { calls } = await stream('What is it like in city="Paris"?', { tools, toolChoice: { type: 'tool', toolName: 'weather' } });
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ toolName: 'weather' });
		expect(JSON.parse((calls[0] as { input: string }).input)).toStrictEqual({ city: 'Paris', days: 1 });
	});

	it('calls the named tool rather than the one the message names', async () => {
		const { calls } = await stream('calculator expression="6*7"', { tools, toolChoice: { type: 'tool', toolName: 'weather' } });
		expect(calls.map((call) => (call as { toolName: string }).toolName)).toStrictEqual(['weather']);
	});

	it('never calls a tool with `none`, even one the message names', async () => {
		const { calls, text, finish } = await stream('calculator expression="6*7"', { tools, toolChoice: { type: 'none' } });
		expect(calls).toStrictEqual([]);
		expect(text).toMatch(/^You said/);
		expect(finish).toMatchObject({ finishReason: { unified: 'stop' } });
	});

	it('calls a tool the message names with `auto`, and none otherwise', async () => {
		expect((await stream('calculator expression="6*7"', { tools, toolChoice: { type: 'auto' } })).calls).toHaveLength(1);
		expect((await stream('Hello there', { tools, toolChoice: { type: 'auto' } })).calls).toHaveLength(0);
	});

	it('answers after the forced call through streamText when only the first step is forced', async () => {
		const calculator = tool({
			inputSchema: z.object({ expression: z.string() }),
			execute: async () => 42
		});
		const result = streamText({
			model: new OfflineModel({ tokenDelayMs: 0 }),
			tools: { calculator },
			prompt: 'Hello there',
			stopWhen: stepCountIs(3),
			prepareStep: ({ stepNumber }) => (stepNumber === 0 ? { toolChoice: 'required' } : {})
		});
		const steps = await result.steps;
		expect(steps.map((step) => step.finishReason)).toStrictEqual(['tool-calls', 'stop']);
		expect(await result.text).toBe('The calculator tool returned: 42.');
	});
});

describe('offline model: JSON answers', () => {
	const schema = {
		type: 'object',
		properties: {
			city: { type: 'string' },
			population: { type: 'integer' },
			capital: { type: 'boolean' },
			tags: { type: 'array', items: { type: 'string' } },
			founded: { type: 'string', format: 'date' }
		},
		required: ['city', 'population', 'capital', 'tags', 'founded'],
		additionalProperties: false
	} satisfies LanguageModelV3FunctionTool['inputSchema'];

	it('answers JSON matching the schema, streamed as several text deltas', async () => {
		const { text, parts } = await stream('Tell me about Lyon', { responseFormat: { type: 'json', schema } });
		expect(JSON.parse(text)).toStrictEqual({
			city: 'Tell me about Lyon',
			population: 1,
			capital: true,
			tags: ['Tell me about Lyon'],
			founded: '2026-01-01'
		});
		expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(3);
	});

	it('answers a JSON object without a schema', async () => {
		const { text } = await stream('Hello there', { responseFormat: { type: 'json' } });
		expect(JSON.parse(text)).toStrictEqual({ answer: expect.stringContaining('Hello there') });
	});

	it('writes no text in a step that calls a tool', async () => {
		const { text, calls } = await stream('calculator expression="6*7"', {
			tools: [calculatorTool],
			responseFormat: { type: 'json', schema }
		});
		expect(text).toBe('');
		expect(calls).toHaveLength(1);
	});

	it('gives streamText an object that passes its schema', async () => {
		const zodSchema = z.object({ name: z.string(), count: z.number(), done: z.boolean() });
		const result = streamText({
			model: new OfflineModel({ tokenDelayMs: 0 }),
			prompt: 'List the things',
			output: Output.object({ schema: zodSchema })
		});
		expect(await result.output).toStrictEqual({ name: 'List the things', count: 1, done: true });
	});

	it('gives streamText JSON with Output.json and a JSON schema', async () => {
		const result = streamText({
			model: new OfflineModel({ tokenDelayMs: 0 }),
			prompt: 'Hi',
			output: Output.object({
				schema: jsonSchema<{ n: number }>({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] })
			})
		});
		expect(await result.output).toStrictEqual({ n: 1 });
	});
});

describe('offline model: output limit', () => {
	it('cuts the answer at the limit, reasoning first, and finishes with `length`', async () => {
		const full = await stream('Hello there');
		const cut = await stream('Hello there', { maxOutputTokens: 8 });
		expect(cut.finish).toMatchObject({ finishReason: { unified: 'length' }, usage: { outputTokens: { total: 8 } } });
		expect(full.reasoning.startsWith(cut.reasoning)).toBe(true);
		expect(full.text.startsWith(cut.text)).toBe(true);
		expect(cut.text.length).toBeLessThan(full.text.length);
	});

	it('leaves an answer within the limit whole', async () => {
		const full = await stream('Hello there');
		const within = await stream('Hello there', { maxOutputTokens: 1000 });
		expect(within.text).toBe(full.text);
		expect(within.finish).toMatchObject({ finishReason: { unified: 'stop' } });
	});

	it('makes no tool call when the limit cuts the answer', async () => {
		const { calls, finish } = await stream('calculator expression="6*7"', { tools: [calculatorTool], maxOutputTokens: 3 });
		expect(calls).toStrictEqual([]);
		expect(finish).toMatchObject({ finishReason: { unified: 'length' } });
	});
});

describe('schemaValue', () => {
	it('follows refs, enums, consts, unions and limits', () => {
		const schema = {
			type: 'object',
			properties: {
				kind: { enum: ['a', 'b'] },
				fixed: { const: 3 },
				maybe: { anyOf: [{ type: 'null' }, { type: 'number', minimum: 5 }] },
				item: { $ref: '#/$defs/item' },
				short: { type: 'string', maxLength: 3 },
				long: { type: 'string', minLength: 20 },
				pair: { type: 'array', items: { type: 'integer' }, minItems: 2 }
			},
			$defs: { item: { type: 'object', properties: { ok: { type: 'boolean' } } } }
		};
		expect(schemaValue(schema, 'two words')).toStrictEqual({
			kind: 'a',
			fixed: 3,
			maybe: 5,
			item: { ok: true },
			short: 'two',
			long: 'two words two words two words',
			pair: [1, 1]
		});
	});

	it('stops at a recursive schema', () => {
		const schema = { type: 'object', properties: { next: { $ref: '#' } }, required: ['next'] };
		expect(() => JSON.stringify(schemaValue(schema, 'x'))).not.toThrow();
	});
});
