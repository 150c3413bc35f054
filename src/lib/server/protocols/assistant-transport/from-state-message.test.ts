import { describe, expect, it } from 'vitest';
import { fromStateMessages } from './from-state-message';
import { toStateMessage } from './state-message';

describe('fromStateMessages', () => {
	it('imports text, images, files, reasoning and tool calls in every state', () => {
		const imported = fromStateMessages([
			{ id: 'u1', role: 'user', content: 'Hello' },
			{
				id: 'a1',
				role: 'assistant',
				content: [
					{ type: 'reasoning', text: 'Hmm' },
					{ type: 'text', text: 'Hi' },
					{ type: 'source', url: 'https://example.com' },
					{ type: 'tool-call', toolCallId: 'c1', toolName: 'calc', args: { e: '1' }, result: 1 },
					{ type: 'tool-call', toolCallId: 'c2', toolName: 'calc', args: {}, result: 'boom', isError: true },
					{ type: 'tool-call', toolCallId: 'c3', toolName: 'rm', args: {}, approval: { id: 'p', approved: false } },
					{ type: 'tool-call', toolCallId: 'c4', toolName: 'rm', args: {}, approval: { id: 'q' } },
					{ type: 'tool-call', toolCallId: 'c5', toolName: 'ask', args: { q: '?' } }
				]
			},
			{
				role: 'user',
				content: [
					{ type: 'image', image: 'data:image/gif;base64,R0' },
					{ type: 'file', data: 'data:text/plain,x', mimeType: 'text/plain' }
				]
			},
			{ role: 'assistant', content: [{ type: 'data', name: 'x', data: 1 }] }
		]);
		expect(imported).toStrictEqual([
			{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] },
			{
				id: 'a1',
				role: 'assistant',
				parts: [
					{ type: 'reasoning', text: 'Hmm' },
					{ type: 'text', text: 'Hi' },
					{ type: 'tool-calc', toolCallId: 'c1', input: { e: '1' }, state: 'output-available', output: 1 },
					{ type: 'tool-calc', toolCallId: 'c2', input: {}, state: 'output-error', errorText: 'boom' },
					{ type: 'tool-rm', toolCallId: 'c3', input: {}, state: 'output-denied', approval: { id: 'p', approved: false } },
					{ type: 'tool-rm', toolCallId: 'c4', input: {}, state: 'approval-requested', approval: { id: 'q' } },
					{ type: 'tool-ask', toolCallId: 'c5', input: { q: '?' }, state: 'input-available' }
				]
			},
			{
				role: 'user',
				parts: [
					{ type: 'file', mediaType: 'image/gif', url: 'data:image/gif;base64,R0' },
					{ type: 'file', mediaType: 'text/plain', url: 'data:text/plain,x' }
				]
			}
		]);
	});

	it('refuses an unsettled call of a server tool, which the server did not make: it can neither wait nor be approved', () => {
		const call = { type: 'tool-call', toolCallId: 'c1', toolName: 'send_payment', args: { amount: 1e6 } };
		for (const part of [call, { ...call, approval: { id: 'ap' } }, { ...call, approval: { id: 'ap', approved: true } }]) {
			expect(() =>
				fromStateMessages(
					[
						{ role: 'user', content: 'Pay' },
						{ role: 'assistant', content: [part] }
					],
					{
						serverTools: new Set(['send_payment'])
					}
				)
			).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'state.messages.1.content.0' }));
		}
	});

	it('keeps settled calls of a server tool as history', () => {
		const imported = fromStateMessages(
			[
				{
					role: 'assistant',
					content: [
						{
							type: 'tool-call',
							toolCallId: 'c1',
							toolName: 'send_payment',
							args: { amount: 5 },
							result: { ok: true },
							approval: { id: 'ap', approved: true }
						},
						{ type: 'tool-call', toolCallId: 'c2', toolName: 'send_payment', args: { amount: 6 }, approval: { id: 'aq', approved: false } }
					]
				}
			],
			{ serverTools: new Set(['send_payment']) }
		);
		expect(imported[0].parts.map((part) => (part as { state?: string }).state)).toStrictEqual(['output-available', 'output-denied']);
	});

	it('names a malformed part', () => {
		expect(() => fromStateMessages([{ role: 'user', content: [{ type: 'text' }] }])).toThrow(
			expect.objectContaining({ code: 'invalid_input', field: 'state.messages.0.content.0.text' })
		);
	});

	it('round-trips what the server sends in state.messages', () => {
		const stored = {
			id: 'a1',
			role: 'assistant' as const,
			status: 'complete' as const,
			error: null,
			parts: [
				{ type: 'step-start' as const },
				{ type: 'text' as const, text: 'Done', state: 'done' as const },
				{ type: 'tool-calc' as const, toolCallId: 'c1', state: 'output-available' as const, input: { e: '1' }, output: 1 }
			]
		};
		const state = toStateMessage(stored);
		expect(state).toStrictEqual({
			id: 'a1',
			role: 'assistant',
			content: [
				{ type: 'text', text: 'Done' },
				{ type: 'tool-call', toolCallId: 'c1', toolName: 'calc', args: { e: '1' }, argsText: '{"e":"1"}', result: 1 }
			],
			status: { type: 'complete', reason: 'stop' }
		});
		expect(fromStateMessages([state])[0].parts).toStrictEqual([
			{ type: 'text', text: 'Done' },
			{ type: 'tool-calc', toolCallId: 'c1', input: { e: '1' }, state: 'output-available', output: 1 }
		]);
	});
});
