import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../services/viewer';
import { toCallerTurn } from './to-caller-turn';

const viewer: Viewer = { kind: 'user', id: 'u1', role: 'user' };

describe('toCallerTurn', () => {
	it('asks the named agent on a new task with the context', () => {
		const turn = toCallerTurn({ message: 'Hi', context: { plan: 'pro' } }, viewer, 'tool-demo');
		expect(turn.agent).toEqual({ kind: 'named', id: 'tool-demo', field: 'name' });
		expect(turn.task).toEqual({ kind: 'new', create: { context: { plan: 'pro' } } });
		expect(turn.ask).toEqual({ type: 'message', parts: [{ type: 'text', text: 'Hi' }] });
	});

	it('continues the caller’s task by task_id', () => {
		const turn = toCallerTurn({ message: 'Again', task_id: 't1' }, viewer, 'assistant');
		expect(turn.task).toMatchObject({ kind: 'existing', id: 't1', field: 'task_id' });
		expect(turn.busy?.field).toBe('task_id');
	});
});
