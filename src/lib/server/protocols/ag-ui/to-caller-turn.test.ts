import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import type { StoredMessage } from '../../services/messages';
import { assertJsonContentType, runAgentInputSchema, type RunAgentInput } from './request';
import { contextInstructions, planRun, toAnswers, toCallerTools, toCallerTurn, toUserParts } from './to-caller-turn';

const viewer = { kind: 'user' as const, id: 'u1', role: 'user' as const };

function input(overrides: Partial<RunAgentInput> = {}): RunAgentInput {
	return runAgentInputSchema.parse({
		threadId: 'thread_1234',
		runId: 'run-1',
		messages: [{ id: 'm1', role: 'user', content: 'Hi' }],
		...overrides
	});
}

/** A stored answer with a call waiting for approval. */
const stored = [
	{ id: 'q', role: 'user', parts: [{ type: 'text', text: 'Time?' }] },
	{
		id: 'a',
		role: 'assistant',
		parts: [{ type: 'tool-current_time', toolCallId: 'c1', state: 'approval-requested', input: {}, approval: { id: 'ap1' } }]
	}
] as unknown as StoredMessage[];

function errorOf(run: () => unknown): AppError {
	try {
		run();
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	throw new Error('Nothing was thrown.');
}

describe('runAgentInputSchema', () => {
	it('takes what HttpAgent sends, unknown fields dropped', () => {
		const body = runAgentInputSchema.parse({
			threadId: '3f2a9c0e-5b1d-4c4e-9d7a-1b2c3d4e5f60',
			runId: 'r',
			protocolVersion: '1.0',
			messages: [{ id: 'm', role: 'user', content: [{ type: 'text', text: 'Hi' }], subagentRunId: 'x' }],
			tools: [],
			context: [],
			state: {},
			forwardedProps: {}
		});
		expect(body.messages[0]).toEqual({ id: 'm', role: 'user', content: [{ type: 'text', text: 'Hi' }] });
	});

	it('refuses a thread id that cannot be a task id, and too many tools', () => {
		expect(runAgentInputSchema.safeParse({ threadId: 'a/b', runId: 'r', messages: [] }).error?.issues[0].path).toEqual(['threadId']);
		const tools = Array.from({ length: 129 }, (_, index) => ({ name: `t${index}`, description: '' }));
		expect(runAgentInputSchema.safeParse({ threadId: 'thread_1234', runId: 'r', messages: [], tools }).error?.issues[0].path).toEqual([
			'tools'
		]);
	});
});

describe('assertJsonContentType', () => {
	it('takes JSON and refuses anything else with 415', () => {
		expect(() => assertJsonContentType('application/json; charset=utf-8')).not.toThrow();
		expect(errorOf(() => assertJsonContentType('text/plain')).code).toBe('unsupported_media_type');
		expect(errorOf(() => assertJsonContentType(null)).status).toBe(415);
	});
});

describe('planRun', () => {
	it('asks a new thread’s last user message, its earlier messages stored as history', () => {
		const plan = planRun(
			input({
				messages: [
					{ id: 's', role: 'developer', content: 'Be brief.' },
					{ id: 'u', role: 'user', content: 'First' },
					{ id: 'a', role: 'assistant', content: 'Noted.' },
					{ id: 'r', role: 'reasoning', content: 'thinking' },
					{ id: 'u2', role: 'user', content: 'Second' }
				]
			}),
			null
		);
		expect(plan.history.map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
		expect(plan.ask).toEqual({ type: 'message', parts: [{ type: 'text', text: 'Second' }] });
	});

	it('reads only what is new on an existing thread', () => {
		expect(planRun(input(), []).history).toEqual([]);
	});

	it('refuses an input that ends with neither a user message nor answers', () => {
		const error = errorOf(() => planRun(input({ messages: [{ id: 'a', role: 'assistant', content: 'Hi' }] }), null));
		expect(error).toMatchObject({ code: 'invalid_input', field: 'messages.0.role' });
	});

	it('answers waiting calls with the tool messages that end the input', () => {
		const plan = planRun(
			input({
				messages: [
					{ id: 'u', role: 'user', content: 'Hi' },
					{ id: 't1', role: 'tool', toolCallId: 'c1', content: '{"approved":true}' },
					{ id: 't2', role: 'tool', toolCallId: 'c2', content: '{"temperature":21}' },
					{ id: 't3', role: 'tool', toolCallId: 'c3', content: 'x', error: 'It failed' }
				]
			}),
			stored
		);
		expect(plan.ask).toEqual({
			type: 'answers',
			answers: [
				{ toolCallId: 'c1', output: { approved: true } },
				{ toolCallId: 'c2', output: '{"temperature":21}' },
				{ toolCallId: 'c3', errorText: 'It failed' }
			]
		});
	});
});

describe('toAnswers', () => {
	it('answers interrupts by their approval’s id', () => {
		const body = input({ resume: [{ interruptId: 'ap1', status: 'resolved', payload: { approved: false, reason: 'No' } }] });
		expect(toAnswers(body, stored)).toEqual([{ toolCallId: 'c1', output: { approved: false, reason: 'No' } }]);
		const cancelled = input({ resume: [{ interruptId: 'ap1', status: 'cancelled' }] });
		expect(toAnswers(cancelled, stored)[0].output).toMatchObject({ approved: false });
		expect(toAnswers(input({ resume: [{ interruptId: 'ap1', status: 'resolved', payload: true }] }), stored)[0].output).toEqual({
			approved: true
		});
	});

	it('names an unknown interrupt', () => {
		expect(errorOf(() => toAnswers(input({ resume: [{ interruptId: 'zz', status: 'resolved' }] }), stored))).toMatchObject({
			code: 'not_found',
			field: 'resume.0.interruptId'
		});
	});
});

describe('toUserParts', () => {
	it('takes text and files, inline or linked', () => {
		expect(
			toUserParts([
				{ type: 'text', text: 'Look' },
				{ type: 'image', source: { type: 'data', value: 'AAAA', mimeType: 'image/png' } },
				{ type: 'document', source: { type: 'url', value: '/api/files/f1', mimeType: 'application/pdf' } }
			])
		).toEqual([
			{ type: 'text', text: 'Look' },
			{ type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,AAAA' },
			{ type: 'file', mediaType: 'application/pdf', url: '/api/files/f1' }
		]);
	});
});

describe('contextInstructions', () => {
	it('lists the entries as system text, and is absent without any', () => {
		expect(contextInstructions([{ description: 'City', value: 'Lisbon' }])).toBe('Context from the application:\n- City: Lisbon');
		expect(contextInstructions([])).toBeUndefined();
		expect(contextInstructions(undefined)).toBeUndefined();
	});
});

describe('toCallerTools', () => {
	it('refuses a name used twice or taken by the agent', () => {
		const agent = { tools: [{ name: 'calculator' }] } as never;
		expect(errorOf(() => toCallerTools([{ name: 'calculator', description: '' }], agent))).toMatchObject({ field: 'tools.0.name' });
		expect(toCallerTools([{ name: 'get_weather', description: 'Weather' }], agent)).toEqual([
			{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: {} } }
		]);
	});
});

describe('toCallerTurn', () => {
	it('runs an existing thread as the caller’s task of the agent, and a new one as a task with its id', () => {
		const existing = toCallerTurn(input({ context: [{ description: 'City', value: 'Lisbon' }] }), 'assistant', viewer, true);
		expect(existing.task).toMatchObject({ kind: 'existing', id: 'thread_1234', field: 'threadId', otherAgent: { code: 'conflict' } });
		expect(existing.agent).toEqual({ kind: 'named', id: 'assistant', field: 'agent' });
		expect(existing.settings?.instructions).toContain('Lisbon');
		expect(toCallerTurn(input(), 'assistant', viewer, false).task).toEqual({ kind: 'new', create: { id: 'thread_1234' } });
	});
});
