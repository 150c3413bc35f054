import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { teamTasksChunkStream, teamTasksStreamResponse, TEAM_TASKS_STREAM_HEADERS } from './response';
import { teamTasksChunkSchema, type TeamTasksChunk } from './schemas';
import { closingChunk, initialTeamTasksState, toMediaChunk, toTeamTasksChunk, type TeamTasksChunkState } from './to-team-tasks-chunk';
import { streamOf } from '../../../../../tests/support/streams';

const usage = { inputTokens: 10, outputTokens: 20 };
const start = { id_team_agent: 'tool-demo', id_team: 'team-1', created_at: '2025-01-02T03:04:05.000Z' };

/** Translates events in order from the initial state; returns every line and the last state. */
function translate(events: RunEvent[]): { chunks: TeamTasksChunk[]; state: TeamTasksChunkState } {
	let state = initialTeamTasksState(start);
	const chunks: TeamTasksChunk[] = [];
	for (const event of events) {
		const result = toTeamTasksChunk(event, state);
		state = result.state;
		if (result.chunk) chunks.push(result.chunk);
	}
	return { chunks, state };
}

const calculatorReady: RunEvent = {
	type: 'tool-call-ready',
	toolCallId: 'call_1',
	toolName: 'calculator',
	input: { expression: '6*7' },
	clientExecuted: false
};

/** Each event on its own (after the calculator call is known), with the exact line it becomes. */
const table: { name: string; event: RunEvent; chunk: TeamTasksChunk | undefined }[] = [
	{
		name: 'run-start',
		event: { type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
		chunk: { event: 'started', id_team_agent: 'tool-demo', id_team: 'team-1', id_task: 'task-1', created_at: start.created_at }
	},
	{ name: 'step-start', event: { type: 'step-start' }, chunk: { event: 'loading' } },
	{ name: 'text-start', event: { type: 'text-start', id: 't1' }, chunk: undefined },
	{ name: 'text-delta', event: { type: 'text-delta', id: 't1', delta: 'Hello ' }, chunk: { event: 'text-chunk', content: 'Hello ' } },
	{ name: 'empty text-delta', event: { type: 'text-delta', id: 't1', delta: '' }, chunk: undefined },
	{ name: 'text-end', event: { type: 'text-end', id: 't1' }, chunk: undefined },
	{ name: 'reasoning-start', event: { type: 'reasoning-start', id: 'r1' }, chunk: undefined },
	{
		name: 'reasoning-delta',
		event: { type: 'reasoning-delta', id: 'r1', delta: 'Hmm.' },
		chunk: { event: 'reasoning-chunk', content: 'Hmm.' }
	},
	{ name: 'reasoning-end', event: { type: 'reasoning-end', id: 'r1' }, chunk: undefined },
	{ name: 'tool-call-start', event: { type: 'tool-call-start', toolCallId: 'call_9', toolName: 'calculator' }, chunk: undefined },
	{
		name: 'tool-call-delta',
		event: { type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' },
		chunk: undefined
	},
	{ name: 'tool-call-ready (server tool)', event: calculatorReady, chunk: { event: 'loading' } },
	{
		name: 'tool-call-ready (client tool)',
		event: { type: 'tool-call-ready', toolCallId: 'call_2', toolName: 'get_weather', input: {}, clientExecuted: true },
		chunk: undefined
	},
	{
		name: 'tool-call-invalid',
		event: { type: 'tool-call-invalid', toolCallId: 'call_3', toolName: 'calculator', input: { expr: 1 }, errorText: 'Invalid input' },
		chunk: { event: 'step', step: 1, content: 'calculator({"expr":1}) was not run: Invalid input' }
	},
	{ name: 'tool-approval-request', event: { type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'a1' }, chunk: undefined },
	{
		name: 'tool-output',
		event: { type: 'tool-output', toolCallId: 'call_1', output: { expression: '6*7', result: 42 } },
		chunk: { event: 'step', step: 1, content: 'calculator({"expression":"6*7"}) returned {"expression":"6*7","result":42}' }
	},
	{
		name: 'tool-error',
		event: { type: 'tool-error', toolCallId: 'call_1', errorText: 'Division by zero' },
		chunk: { event: 'step', step: 1, content: 'calculator({"expression":"6*7"}) failed: Division by zero' }
	},
	{
		name: 'tool-denied',
		event: { type: 'tool-denied', toolCallId: 'call_1' },
		chunk: { event: 'step', step: 1, content: 'calculator({"expression":"6*7"}) was not approved' }
	},
	{ name: 'step-end', event: { type: 'step-end', usage }, chunk: undefined },
	{
		name: 'input-required',
		event: { type: 'input-required', toolCalls: [{ toolCallId: 'call_2', toolName: 'get_weather', input: {} }] },
		chunk: undefined
	},
	{ name: 'run-end completed', event: { type: 'run-end', reason: 'completed', usage }, chunk: { event: 'finished' } },
	{ name: 'run-end limit', event: { type: 'run-end', reason: 'limit', usage }, chunk: { event: 'finished' } },
	{
		name: 'run-end interrupted',
		event: { type: 'run-end', reason: 'interrupted', usage },
		chunk: { event: 'interrupted', reason: 'The answer was stopped before it finished.' }
	},
	{
		name: 'run-end awaiting-input',
		event: { type: 'run-end', reason: 'awaiting-input', usage },
		chunk: {
			event: 'interrupted',
			reason:
				'The agent stopped to wait for tool results or approvals, which this API cannot send. Answer it over the agent API or in the app.'
		}
	},
	{
		name: 'run-error',
		event: { type: 'run-error', message: 'The model failed while answering. Try again.' },
		chunk: { event: 'error', error: 'The model failed while answering. Try again.' }
	}
];

describe('toTeamTasksChunk', () => {
	it.each(table)('turns $name into its exact line', ({ event, chunk }) => {
		const known = toTeamTasksChunk(calculatorReady, initialTeamTasksState(start)).state;
		expect(toTeamTasksChunk(event, known).chunk).toStrictEqual(chunk);
	});

	it.each(table.filter((row) => row.chunk))('makes a $name line that the published schema accepts', ({ chunk }) => {
		expect(teamTasksChunkSchema.safeParse(chunk).success).toBe(true);
	});

	it('covers every run event type', () => {
		expect([...new Set(table.map(({ event }) => event.type))].sort()).toStrictEqual(
			[
				'run-start',
				'step-start',
				'reasoning-start',
				'reasoning-delta',
				'reasoning-end',
				'text-start',
				'text-delta',
				'text-end',
				'tool-call-start',
				'tool-call-delta',
				'tool-call-ready',
				'tool-call-invalid',
				'tool-approval-request',
				'tool-output',
				'tool-error',
				'tool-denied',
				'step-end',
				'input-required',
				'run-end',
				'run-error'
			].sort()
		);
	});

	it('throws on an event type it does not know', () => {
		expect(() => toTeamTasksChunk({ type: 'mystery' } as unknown as RunEvent, initialTeamTasksState(start))).toThrow(
			'Unhandled run event {"type":"mystery"}'
		);
	});

	it('does not change the state it is given', () => {
		const state = initialTeamTasksState(start);
		const frozen = structuredClone(state);
		toTeamTasksChunk(calculatorReady, state);
		toTeamTasksChunk({ type: 'run-end', reason: 'completed', usage }, state);
		expect(state).toStrictEqual(frozen);
	});

	it('numbers tool steps in order and names what an awaiting run waits for', () => {
		const { chunks, state } = translate([
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'step-start' },
			calculatorReady,
			{ type: 'tool-call-ready', toolCallId: 'call_2', toolName: 'current_time', input: { timezone: 'UTC' }, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'call_1', output: { result: 42 } },
			{ type: 'tool-error', toolCallId: 'call_2', errorText: 'Unknown time zone' },
			{ type: 'tool-call-ready', toolCallId: 'call_3', toolName: 'get_weather', input: { city: 'Paris' }, clientExecuted: true },
			{ type: 'tool-call-ready', toolCallId: 'call_4', toolName: 'refund', input: { amount: 5 }, clientExecuted: false },
			{ type: 'tool-approval-request', toolCallId: 'call_4', approvalId: 'approval_1' },
			{ type: 'step-end', usage },
			{
				type: 'input-required',
				toolCalls: [
					{ toolCallId: 'call_3', toolName: 'get_weather', input: { city: 'Paris' } },
					{ toolCallId: 'call_4', toolName: 'refund', input: { amount: 5 }, approvalId: 'approval_1' }
				]
			},
			{ type: 'run-end', reason: 'awaiting-input', usage }
		]);
		expect(chunks).toStrictEqual([
			{ event: 'started', ...start, id_task: 'task-1' },
			{ event: 'loading' },
			{ event: 'loading' },
			{ event: 'loading' },
			{ event: 'step', step: 1, content: 'calculator({"expression":"6*7"}) returned {"result":42}' },
			{ event: 'step', step: 2, content: 'current_time({"timezone":"UTC"}) failed: Unknown time zone' },
			{ event: 'loading' },
			{
				event: 'interrupted',
				reason:
					'The agent stopped to wait for the result of get_weather, approval of refund, which this API cannot send. Answer it over the agent API or in the app.'
			}
		]);
		expect(state.ended).toBe(true);
		expect(closingChunk(state)).toBeUndefined();
	});

	it('shortens long tool outputs in step lines', () => {
		const { chunks } = translate([calculatorReady, { type: 'tool-output', toolCallId: 'call_1', output: 'x'.repeat(1000) }]);
		const line = chunks.find((chunk) => chunk.event === 'step');
		expect(line?.event === 'step' && line.content.length).toBeLessThan(400);
		expect(line?.event === 'step' && line.content.endsWith('…')).toBe(true);
	});
});

describe('closingChunk', () => {
	it('closes a stream whose run ended without a closing event', () => {
		expect(closingChunk(initialTeamTasksState(start))).toStrictEqual({
			event: 'interrupted',
			reason: 'The answer was stopped before it finished.'
		});
	});
});

describe('toMediaChunk', () => {
	it('sends data URLs as base64 content and other URLs as links, by kind', () => {
		expect(toMediaChunk({ name: 'dot.png', mediaType: 'image/png', url: 'data:image/png;base64,iVBORw0=' })).toStrictEqual({
			event: 'image-chunk',
			name: 'dot.png',
			is_base64: true,
			is_url: false,
			mime_type: 'image/png',
			content: 'iVBORw0='
		});
		expect(toMediaChunk({ name: 'clip.mp4', mediaType: 'video/mp4', url: 'https://example.com/clip.mp4' })).toStrictEqual({
			event: 'video-chunk',
			name: 'clip.mp4',
			is_base64: false,
			is_url: true,
			mime_type: 'video/mp4',
			content: 'https://example.com/clip.mp4'
		});
		expect(toMediaChunk({ name: 'a.mp3', mediaType: 'audio/mpeg', url: 'data:audio/mpeg;base64,AAAA' }).event).toBe('audio-chunk');
		expect(toMediaChunk({ name: 'r.pdf', mediaType: 'application/pdf', url: '/api/files/x' }).event).toBe('document-chunk');
	});
});

describe('teamTasksStreamResponse', () => {
	it('writes data lines without event names, one closing line, then [DONE]', async () => {
		const response = teamTasksStreamResponse(
			streamOf<RunEvent>([
				{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
				{ type: 'step-start' },
				{ type: 'text-start', id: 't' },
				{ type: 'text-delta', id: 't', delta: 'Hi' },
				{ type: 'text-end', id: 't' },
				{ type: 'step-end', usage },
				{ type: 'run-end', reason: 'completed', usage }
			]),
			start,
			{ 'x-anonymous-id': 'anon_12345678' }
		);
		for (const [name, value] of Object.entries(TEAM_TASKS_STREAM_HEADERS)) expect(response.headers.get(name)).toBe(value);
		expect(response.headers.get('x-anonymous-id')).toBe('anon_12345678');
		expect(await response.text()).toBe(
			[
				`data: {"event":"started","id_team_agent":"tool-demo","id_team":"team-1","id_task":"task-1","created_at":"2025-01-02T03:04:05.000Z"}`,
				'data: {"event":"loading"}',
				'data: {"event":"text-chunk","content":"Hi"}',
				'data: {"event":"finished"}',
				'data: [DONE]',
				''
			].join('\n\n')
		);
	});

	it('adds an interrupted line when the run ends without a closing event, and nothing after one', async () => {
		const lines: unknown[] = [];
		const cut = streamOf<RunEvent>([{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' }]);
		for await (const event of cut.pipeThrough(teamTasksChunkStream(start))) lines.push(event.data);
		expect(lines.at(-1)).toStrictEqual({ event: 'interrupted', reason: 'The answer was stopped before it finished.' });

		const after: unknown[] = [];
		const doubled = streamOf<RunEvent>([
			{ type: 'run-error', message: 'Failed.' },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		for await (const event of doubled.pipeThrough(teamTasksChunkStream(start))) after.push(event.data);
		expect(after).toStrictEqual([{ event: 'error', error: 'Failed.' }]);
	});
});
