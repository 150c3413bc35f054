import { describe, expect, it } from 'vitest';
import { createResponseRequestSchema } from './request';
import { referencedIds, resolveItemReferences, resolveWithPositions } from './item-references';
import { toInputMessages } from './to-input-messages';

const input = createResponseRequestSchema.parse({
	model: 'assistant',
	input: [
		{ type: 'item_reference', id: 'msg_1' },
		{ type: 'item_reference', id: 'mcp_1' },
		{ type: 'item_reference', id: 'approval_1' },
		{ role: 'user', content: 'Go on' }
	]
}).input;

describe('item references', () => {
	it('names the ids referenced', () => {
		expect(referencedIds(input)).toEqual(['msg_1', 'mcp_1', 'approval_1']);
	});

	it('replaces each with the stored item: a hosted call as its call and result, an approval request as nothing', () => {
		const found = new Map<string, Record<string, unknown>>([
			['msg_1', { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hi' }] }],
			['mcp_1', { id: 'mcp_1', type: 'mcp_call', name: 'calculator', arguments: '{}', output: '5', error: null, server_label: 'parley' }],
			['approval_1', { id: 'approval_1', type: 'mcp_approval_request', name: 'now', arguments: '{}', server_label: 'parley' }]
		]);
		expect(resolveItemReferences(input, found).map((item) => item.type)).toEqual([
			'message',
			'function_call',
			'function_call_output',
			'message'
		]);
	});

	it('refuses an id that is none of the caller’s stored items, naming it', () => {
		expect(() => resolveItemReferences(input, new Map())).toThrowError(expect.objectContaining({ field: 'input.0.id', code: 'not_found' }));
	});

	it('keeps where each item was in the request, for errors about items after a reference', () => {
		const request = createResponseRequestSchema.parse({
			model: 'assistant',
			input: [
				{ type: 'item_reference', id: 'mcp_1' },
				{ type: 'function_call', call_id: 'c', name: 'get_weather', arguments: '{}' }
			]
		}).input;
		const found = new Map([['mcp_1', { id: 'mcp_1', type: 'mcp_call', name: 'calculator', arguments: '{}', output: '5' }]]);
		const { items, positions } = resolveWithPositions(request, found);
		expect(positions).toEqual([0, 0, 1]);
		expect(() => toInputMessages(items, { positions })).toThrowError(expect.objectContaining({ field: 'input.1' }));
	});
});
