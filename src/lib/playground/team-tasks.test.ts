import { describe, expect, it } from 'vitest';
import { replayBody } from './replay';
import { newTaskSession } from './task-session';
import { teamTasksProtocol } from './team-tasks';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 2, slug: 'tool-demo', name: 'Tool demo' };

const sse = (chunks: unknown[]) => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n';

describe('team-agent API', () => {
	it('posts multipart fields with Accept: text/event-stream, and id_task once known', () => {
		expect(teamTasksProtocol.buildRequest({ agent, text: 'hi', session: newTaskSession() }).request).toEqual({
			method: 'POST',
			url: '/api/teams/messages',
			headers: { accept: 'text/event-stream' },
			body: {
				kind: 'form',
				fields: [
					['id_team_agent', 'tool-demo'],
					['id_team', 'playground'],
					['text', 'hi']
				]
			}
		});
		expect(teamTasksProtocol.buildRequest({ agent, text: 'more', session: { kind: 'task', taskId: 't7' } }).request.body).toEqual({
			kind: 'form',
			fields: [
				['id_team_agent', 'tool-demo'],
				['id_team', 'playground'],
				['id_task', 't7'],
				['text', 'more']
			]
		});
	});

	it('types lines by their `event` and renders text, reasoning and steps', () => {
		const body = sse([
			{ event: 'started', id_team_agent: 'tool-demo', id_team: 'playground', id_task: 't7', created_at: '2026-01-01T00:00:00.000Z' },
			{ event: 'loading' },
			{ event: 'reasoning-chunk', content: 'Calculating.' },
			{ event: 'step', step: 1, content: 'calculator({"expression":"6*7"}) returned "42"' },
			{ event: 'text-chunk', content: 'It is ' },
			{ event: 'text-chunk', content: '42.' },
			{ event: 'finished' }
		]);
		const { events, answer } = replayBody(teamTasksProtocol, body, 5);
		expect(events.map((event) => event.type)).toEqual([
			'started',
			'loading',
			'reasoning-chunk',
			'step',
			'text-chunk',
			'text-chunk',
			'finished',
			'[DONE]'
		]);
		expect(answer).toMatchObject({
			parts: [
				{ type: 'reasoning', text: 'Calculating.' },
				{ type: 'note', text: 'Step 1: calculator({"expression":"6*7"}) returned "42"' },
				{ type: 'text', text: 'It is 42.' }
			],
			status: 'completed',
			taskId: 't7'
		});
		expect(teamTasksProtocol.afterResponse(newTaskSession(), { answer, headers: {} })).toEqual({ kind: 'task', taskId: 't7' });
	});

	it('ends interrupted with the reason, and cannot send tool outputs', () => {
		const { answer } = replayBody(
			teamTasksProtocol,
			sse([{ event: 'interrupted', reason: 'The agent stopped to wait for the result of lookup_weather.' }])
		);
		expect(answer).toMatchObject({ status: 'interrupted', notice: 'The agent stopped to wait for the result of lookup_weather.' });
		const call = { toolCallId: 'c', toolName: 'x', input: {}, argumentsText: '{}', requiresApproval: false };
		expect(teamTasksProtocol.continuation({ agent, session: { kind: 'task', taskId: 't7' }, call, output: 1 })).toBeNull();
		expect(replayBody(teamTasksProtocol, sse([{ event: 'error', error: 'Model down' }])).answer).toMatchObject({
			status: 'error',
			error: 'Model down'
		});
	});
});
