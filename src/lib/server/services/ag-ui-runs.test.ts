import { describe, expect, it } from 'vitest';
import { ActiveRun } from '../runtime/run-registry';
import { assertRunIdFree, getOwnAgUiRun, trackAgUiRun, type AgUiRun } from './ag-ui-runs';

const alice = { kind: 'user' as const, id: 'alice-runs', role: 'user' as const };
const bob = { kind: 'anonymous' as const, anonymousId: 'anon_bob_runs' };
const config = { AG_UI_REPLAY_SECONDS: 600, AG_UI_REPLAY_RUNS: 1 };

function entry(runId: string, owner: string, run: ActiveRun | null): AgUiRun {
	return { runId, threadId: 'thread_runs', agent: { id: 1, slug: 'assistant' }, owner, run, events: [] };
}

describe('AG-UI runs', () => {
	it('names runs per caller: another caller’s id neither clashes nor is found', () => {
		trackAgUiRun(entry('shared-id', 'user:alice-runs', new ActiveRun('t1', 'm1')), config);
		expect(() => assertRunIdFree('user:alice-runs', 'shared-id', config)).toThrow(/exists already/);
		expect(() => assertRunIdFree('anonymous:anon_bob_runs', 'shared-id', config)).not.toThrow();
		expect(getOwnAgUiRun(alice, 'assistant', 'shared-id', config).runId).toBe('shared-id');
		expect(getOwnAgUiRun(alice, '1', 'shared-id', config).runId).toBe('shared-id');
		expect(() => getOwnAgUiRun(bob, 'assistant', 'shared-id', config)).toThrow(/No run/);
		expect(() => getOwnAgUiRun(alice, 'other-agent', 'shared-id', config)).toThrow(/No run/);
	});

	it('keeps a running run, and at most AG_UI_REPLAY_RUNS ended ones, the oldest dropped first', async () => {
		const running = new ActiveRun('t2', 'm2');
		trackAgUiRun(entry('running', 'user:alice-runs', running), config);
		trackAgUiRun(entry('ended-1', 'user:alice-runs', null), config);
		trackAgUiRun(entry('ended-2', 'user:alice-runs', null), config);
		expect(() => getOwnAgUiRun(alice, 'assistant', 'ended-1', config)).toThrow(/No run/);
		expect(getOwnAgUiRun(alice, 'assistant', 'ended-2', config).runId).toBe('ended-2');
		expect(getOwnAgUiRun(alice, 'assistant', 'running', config).runId).toBe('running');
		running.end();
		await running.finished;
		// Once it has ended too, only the last ended run is kept.
		expect(() => getOwnAgUiRun(alice, 'assistant', 'ended-2', config)).toThrow(/No run/);
	});

	it('drops ended runs once AG_UI_REPLAY_SECONDS have passed', () => {
		trackAgUiRun(entry('short-lived', 'user:alice-runs', null), { AG_UI_REPLAY_SECONDS: 0, AG_UI_REPLAY_RUNS: 10 });
		expect(() => getOwnAgUiRun(alice, 'assistant', 'short-lived', { AG_UI_REPLAY_SECONDS: -1, AG_UI_REPLAY_RUNS: 10 })).toThrow(/No run/);
	});
});
