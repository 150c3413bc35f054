import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { askInputShape, MESSAGE_MAX, toolDescriptionOf, toolNameOf } from './tools';

describe('toolNameOf', () => {
	it('is ask_ and the slug, dashes kept', () => {
		expect(toolNameOf('assistant')).toBe('ask_assistant');
		expect(toolNameOf('tool-demo')).toBe('ask_tool-demo');
	});

	it('replaces characters MCP does not allow in tool names, and stays within 128 characters', () => {
		expect(toolNameOf('café bot/2')).toBe('ask_caf__bot_2');
		expect(toolNameOf('x'.repeat(300))).toHaveLength(128);
	});
});

describe('toolDescriptionOf', () => {
	it('names the agent and says what it does', () => {
		const description = toolDescriptionOf({ name: 'Shop assistant', description: 'Finds products.' });
		expect(description).toContain('"Shop assistant"');
		expect(description).toContain('Finds products.');
		expect(description).toContain('task_id');
	});

	it('leaves out an empty description', () => {
		expect(toolDescriptionOf({ name: 'Bare', description: '  ' })).not.toContain('  ');
	});
});

describe('askInputShape', () => {
	const schema = z.object(askInputShape({ contextSchema: null }));

	it('needs a message that is not empty and within the limit', () => {
		expect(schema.safeParse({ message: 'Hi' }).success).toBe(true);
		expect(schema.safeParse({}).success).toBe(false);
		expect(schema.safeParse({ message: '   ' }).success).toBe(false);
		expect(schema.safeParse({ message: 'x'.repeat(MESSAGE_MAX + 1) }).success).toBe(false);
	});

	it('takes a task id and a context object', () => {
		expect(schema.parse({ message: 'Hi', task_id: ' t1 ', context: { plan: 'pro' } })).toEqual({
			message: 'Hi',
			task_id: 't1',
			context: { plan: 'pro' }
		});
		expect(schema.safeParse({ message: 'Hi', context: 'pro' }).success).toBe(false);
		expect(schema.safeParse({ message: 'Hi', task_id: '' }).success).toBe(false);
	});

	it('describes the context with the agent’s context schema', () => {
		const contextSchema = { type: 'object', required: ['plan'], properties: { plan: { type: 'string', enum: ['free', 'pro'] } } };
		const json = z.toJSONSchema(z.object(askInputShape({ contextSchema }))) as unknown as {
			properties: { context: Record<string, unknown> };
		};
		expect(json.properties.context).toMatchObject({ type: 'object', required: ['plan'], properties: contextSchema.properties });
	});
});
