import { describe, expect, it } from 'vitest';
import { sessionOfKind } from './session-kind';

describe('sessionOfKind', () => {
	it('returns a session of the kind asked for, and throws naming both kinds for another', () => {
		const session = { kind: 'task' as const, taskId: 'abc' };
		expect(sessionOfKind(session, 'task')).toBe(session);
		expect(() => sessionOfKind(session, 'a2a')).toThrow('Expected a session of kind "a2a", not "task"');
	});
});
