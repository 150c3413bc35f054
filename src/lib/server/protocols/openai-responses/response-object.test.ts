import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { createResponseRequestSchema } from './request';
import { OpenResponsesBuilder, responseContext, toRequestEcho } from './response-object';

const run: RunEvent[] = [
	{ type: 'run-start', taskId: 't', messageId: 'm', model: 'mock:offline' },
	{ type: 'step-start' },
	{ type: 'text-start', id: 'a' },
	{ type: 'text-delta', id: 'a', delta: 'Hi' },
	{ type: 'text-end', id: 'a' },
	{ type: 'run-end', reason: 'completed', usage: { inputTokens: 1, outputTokens: 1 } }
];

describe('toRequestEcho', () => {
	it('echoes the text format asked for, plain text by default', () => {
		const parse = (text?: unknown) => toRequestEcho(createResponseRequestSchema.parse({ model: 'a', input: 'Hi', text }));
		expect(parse().text).toEqual({ type: 'text' });
		expect(parse({ format: { type: 'json_object' } }).text).toEqual({ type: 'json_object' });
		expect(parse({ format: { type: 'json_schema', name: 'n', schema: { type: 'object' } } }).text).toEqual({
			type: 'json_schema',
			name: 'n',
			schema: { type: 'object' },
			strict: null
		});
	});
});

describe('responseContext', () => {
	it('names the same items alike in every builder, created when the response was', () => {
		const request = toRequestEcho(createResponseRequestSchema.parse({ model: 'a', input: 'Hi' }));
		const build = () => {
			const builder = new OpenResponsesBuilder(responseContext({ id: 'resp_abc', request, createdAt: 1_000_000 }));
			for (const event of run) builder.push(event);
			return builder.response();
		};
		const [one, two] = [build(), build()];
		expect(one?.output.map((item) => item.id)).toEqual(two?.output.map((item) => item.id));
		expect(one?.output[0].id).toMatch(/^msg_abc/);
		expect(one?.created_at).toBe(1000);
	});
});
