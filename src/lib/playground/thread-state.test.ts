import { describe, expect, it } from 'vitest';
import { applyStateOperations, readOperations, valueAt } from './thread-state';

describe('applyStateOperations', () => {
	it('sets values at paths (array indexes as strings) and appends text, copying only what changes', () => {
		const before = { taskId: 't1', messages: [{ id: 'u1', content: [{ type: 'text', text: 'hi' }] }], other: { kept: true } };
		const after = applyStateOperations(before, [
			{ type: 'set', path: ['messages', '1'], value: { id: 'a1', content: [{ type: 'text', text: '' }] } },
			{ type: 'append-text', path: ['messages', '1', 'content', '0', 'text'], value: 'Hel' },
			{ type: 'append-text', path: ['messages', '1', 'content', '0', 'text'], value: 'lo' }
		]);
		expect(after).toEqual({
			taskId: 't1',
			messages: [
				{ id: 'u1', content: [{ type: 'text', text: 'hi' }] },
				{ id: 'a1', content: [{ type: 'text', text: 'Hello' }] }
			],
			other: { kept: true }
		});
		expect(before.messages).toHaveLength(1);
		expect(after.other).toBe(before.other);
		expect(Array.isArray(after.messages)).toBe(true);
	});

	it('replaces the whole state with an empty path, and creates missing objects on the way', () => {
		expect(applyStateOperations({ a: 1 }, [{ type: 'set', path: [], value: { b: 2 } }])).toEqual({ b: 2 });
		expect(applyStateOperations({}, [{ type: 'set', path: ['x', 'y'], value: 1 }])).toEqual({ x: { y: 1 } });
		expect(applyStateOperations({}, [{ type: 'append-text', path: ['note'], value: 'new' }])).toEqual({ note: 'new' });
	});
});

describe('readOperations', () => {
	it('keeps well-formed operations only', () => {
		expect(
			readOperations([
				{ type: 'set', path: ['a'], value: 1 },
				{ type: 'append-text', path: ['b'], value: 'x' },
				{ type: 'append-text', path: ['b'], value: 2 },
				{ type: 'set', path: [0], value: 1 },
				{ type: 'unknown', path: [] }
			])
		).toEqual([
			{ type: 'set', path: ['a'], value: 1 },
			{ type: 'append-text', path: ['b'], value: 'x' }
		]);
		expect(readOperations('nope')).toEqual([]);
	});
});

describe('valueAt', () => {
	it('reads nested values', () => {
		expect(valueAt({ a: [{ b: 'c' }] }, ['a', '0', 'b'])).toBe('c');
		expect(valueAt({ a: 1 }, ['a', 'b'])).toBeUndefined();
	});
});
