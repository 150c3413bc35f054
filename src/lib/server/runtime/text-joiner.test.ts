import { describe, expect, it } from 'vitest';
import type { RunEvent } from './events';
import { TextJoiner } from './text-joiner';

/** The plain text a joiner makes of `events`. */
function join(events: RunEvent[]): string {
	const joiner = new TextJoiner();
	return events.map((event) => joiner.textOf(event) ?? '').join('');
}

const step = (id: string, ...deltas: string[]): RunEvent[] => [
	{ type: 'step-start' },
	{ type: 'text-start', id },
	...deltas.map((delta): RunEvent => ({ type: 'text-delta', id, delta })),
	{ type: 'text-end', id }
];

describe('TextJoiner', () => {
	it('keeps the deltas of one text as they are', () => {
		expect(join(step('t', 'Hello ', 'there.'))).toBe('Hello there.');
	});

	it('separates the texts of two steps with a blank line', () => {
		const tool: RunEvent[] = [
			{ type: 'tool-call-ready', toolCallId: 'c', toolName: 'calculator', input: {}, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'c', output: 42 }
		];
		expect(join([...step('a', 'Let me use the ', 'calculator tool.'), ...tool, ...step('b', 'It returned ', '42.')])).toBe(
			'Let me use the calculator tool.\n\nIt returned 42.'
		);
	});

	it('separates two text parts that share an id across steps', () => {
		expect(join([...step('text-0', 'First.'), ...step('text-0', 'Second.')])).toBe('First.\n\nSecond.');
	});

	it('adds no separator where one side has no text', () => {
		expect(join([...step('a'), ...step('b', 'Only text.')])).toBe('Only text.');
		expect(join([...step('a', 'Only text.'), ...step('b'), ...step('c', '', '')])).toBe('Only text.');
	});

	it('gives other events no text', () => {
		const joiner = new TextJoiner();
		expect(joiner.textOf({ type: 'reasoning-delta', id: 'r', delta: 'Thinking' })).toBeUndefined();
		expect(joiner.textOf({ type: 'run-end', reason: 'completed', usage: { inputTokens: 1, outputTokens: 1 } })).toBeUndefined();
	});
});
