import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../services/messages';
import { createResponseRequestSchema, type CreateResponseRequest } from './request';
import { answeredCallsAtEnd, planInput, toCallerTools, toCallerTurn, toTurnSettings } from './to-caller-turn';
import { toInputMessages } from './to-input-messages';

const viewer = { kind: 'user', id: 'u1', role: 'user' } as const;

/** A request body, validated as the route does. */
function body(input: Record<string, unknown>): CreateResponseRequest {
	return createResponseRequestSchema.parse({ model: 'assistant', input: 'Hi', ...input });
}

/** The error a function throws. */
function thrown(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('Nothing was thrown.');
}

describe('toTurnSettings', () => {
	it('carries tool_choice, max_output_tokens, temperature, instructions and a JSON text format', () => {
		expect(
			toTurnSettings(
				body({
					tool_choice: { type: 'function', name: 'get_weather' },
					max_output_tokens: 50,
					temperature: 0.2,
					instructions: 'Be brief.',
					text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } }
				})
			)
		).toEqual({
			toolChoice: { type: 'tool', toolName: 'get_weather' },
			maxOutputTokens: 50,
			temperature: 0.2,
			instructions: 'Be brief.',
			output: { type: 'json', schema: { type: 'object' }, name: 'answer' }
		});
		expect(toTurnSettings(body({ tool_choice: 'none', text: { format: { type: 'json_object' } } }))).toEqual({
			toolChoice: 'none',
			output: { type: 'json' }
		});
		expect(toTurnSettings(body({}))).toEqual({});
	});
});

describe('toCallerTools', () => {
	it('refuses a name used twice or taken by the agent, naming the tool', () => {
		const tool = { type: 'function' as const, name: 'calculator' };
		expect(thrown(() => toCallerTools([tool], { tools: [{ name: 'calculator' }] } as never))).toMatchObject({
			code: 'invalid_input',
			field: 'tools.0.name'
		});
		expect(toCallerTools([{ type: 'function', name: 'get_weather' }], { tools: [] } as never)).toEqual([
			{ name: 'get_weather', inputSchema: { type: 'object', properties: {} } }
		]);
	});
});

describe('planInput', () => {
	const stored = [
		{
			role: 'assistant',
			parts: [
				{
					type: 'tool-delete_file',
					toolCallId: 'call_a',
					state: 'approval-requested',
					input: {},
					approval: { id: 'approval_1' }
				}
			]
		}
	] as unknown as StoredMessage[];

	it('stores what comes before the last user message and asks with that message', () => {
		const input = toInputMessages(
			body({
				input: [
					{ role: 'system', content: 'Be brief.' },
					{ role: 'user', content: 'Question' }
				]
			}).input
		);
		const plan = planInput(input, false, []);
		expect(plan.messages).toEqual([{ role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] }]);
		expect(plan.ask).toEqual({ type: 'message', parts: [{ type: 'text', text: 'Question' }] });
	});

	it('answers an input that does not end with a user message as it stands', () => {
		const input = toInputMessages(
			body({
				input: [
					{ role: 'user', content: 'Q' },
					{ role: 'assistant', content: 'A' }
				]
			}).input
		);
		expect(planInput(input, false, []).ask).toEqual({ type: 'respond' });
	});

	it('turns outputs and approvals into answers of the calls that wait', () => {
		const input = toInputMessages(
			body({
				input: [
					{ type: 'function_call_output', call_id: 'call_c', output: '{"ok":true}' },
					{ type: 'mcp_approval_response', approval_request_id: 'approval_1', approve: false, reason: 'No.' }
				]
			}).input
		);
		expect(planInput(input, true, stored)).toEqual({
			messages: [],
			ask: {
				type: 'answers',
				answers: [
					{ toolCallId: 'call_c', output: { ok: true } },
					{ toolCallId: 'call_a', output: { approved: false, reason: 'No.' } }
				]
			}
		});
	});

	it('refuses answers without a response to continue, with messages, or to an unknown approval', () => {
		const output = toInputMessages(body({ input: [{ type: 'function_call_output', call_id: 'c', output: '1' }] }).input);
		expect(thrown(() => planInput(output, false, []))).toMatchObject({ code: 'invalid_input', field: 'input.0' });
		const mixed = toInputMessages(
			body({
				input: [
					{ role: 'user', content: 'Q' },
					{ type: 'function_call_output', call_id: 'c', output: '1' }
				]
			}).input
		);
		expect(thrown(() => planInput(mixed, true, []))).toMatchObject({ code: 'invalid_input', field: 'input.0' });
		const approval = toInputMessages(
			body({ input: [{ type: 'mcp_approval_response', approval_request_id: 'approval_9', approve: true }] }).input
		);
		expect(thrown(() => planInput(approval, true, stored))).toMatchObject({
			code: 'not_found',
			field: 'input.0.approval_request_id'
		});
	});
});

describe('toCallerTurn', () => {
	it('makes a new task, or continues the task of the previous response', () => {
		const request = body({ context: { plan: 'pro' } });
		expect(toCallerTurn(request, request.input, viewer, null).turn).toMatchObject({
			agent: { kind: 'named', id: 'assistant', field: 'model' },
			task: { kind: 'waiting-for', create: { context: { plan: 'pro' } } }
		});
		expect(toCallerTurn(request, request.input, viewer, { taskId: 't1' }).turn.task).toMatchObject({
			kind: 'existing',
			id: 't1',
			field: 'previous_response_id'
		});
	});

	it('checks a named tool_choice against the turn’s tools, and knows the hosted tools afterwards', () => {
		const named = body({ tool_choice: { type: 'function', name: 'calculator' } });
		const face = toCallerTurn(named, named.input, viewer, null);
		const context = { agent: { tools: [] } as never, serverTools: new Set(['calculator']) };
		face.turn.checks?.(context);
		expect(face.hostedTools()).toEqual(new Set(['calculator']));
		const unknown = body({ tool_choice: { type: 'function', name: 'nowhere' } });
		expect(thrown(() => toCallerTurn(unknown, unknown.input, viewer, null).turn.checks?.(context))).toMatchObject({
			field: 'tool_choice.name'
		});
	});
});

describe('answeredCallsAtEnd', () => {
	const history = body({
		input: [
			{ role: 'user', content: 'Weather?' },
			{ type: 'function_call', call_id: 'call_w', name: 'get_weather', arguments: '{"city":"Rome"}' },
			{ type: 'function_call_output', call_id: 'call_w', output: '{"t":25}' }
		]
	}).input;

	it('names the caller’s calls that end the input with their outputs', () => {
		const calls = answeredCallsAtEnd(toInputMessages(history), new Set());
		expect(calls).toMatchObject([{ toolCallId: 'call_w', type: 'tool-get_weather', input: { city: 'Rome' }, output: { t: 25 } }]);
	});

	it('names none when the input ends with a message, or a call is the agent’s', () => {
		expect(answeredCallsAtEnd(toInputMessages(body({}).input), new Set())).toEqual([]);
		expect(answeredCallsAtEnd(toInputMessages(history), new Set(['get_weather']))).toEqual([]);
	});

	it('continues the task that waits for those calls with their outputs', () => {
		const face = toCallerTurn(body({ input: history }), body({ input: history }).input, viewer, null);
		const context = { agent: { tools: [] } as never, serverTools: new Set<string>() };
		face.turn.checks?.(context);
		const task = face.turn.task;
		if (task.kind !== 'waiting-for') throw new Error('Not a waiting-for task.');
		expect(task.calls(context)).toEqual([{ toolCallId: 'call_w', toolName: 'get_weather', input: { city: 'Rome' } }]);
		expect(face.turn.seed?.({ ...context, stored: [] })).toEqual({
			messages: [],
			ask: { type: 'answers', answers: [{ toolCallId: 'call_w', output: { t: 25 } }] }
		});
	});
});
