import { Part } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import type { StoredMessage } from '../../services/messages';
import { checkEnvelope, toAsk, toCallerTools, toUserParts } from './request';

const parts = (...json: unknown[]) => json.map((entry) => Part.fromJSON(entry));

/** A stored answer whose calls wait. */
function waiting(...calls: { id: string; state: 'input-available' | 'approval-requested' }[]): StoredMessage[] {
	return [
		{
			id: 'a1',
			role: 'assistant',
			parts: calls.map((call) => ({
				type: 'tool-get_weather',
				toolCallId: call.id,
				state: call.state,
				input: {},
				...(call.state === 'approval-requested' ? { approval: { id: `ap-${call.id}` } } : {})
			}))
		} as unknown as StoredMessage
	];
}

describe('checkEnvelope', () => {
	it('takes a JSON-RPC 2.0 request and names what is wrong with anything else', () => {
		expect(checkEnvelope({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: {} })).toMatchObject({ ok: true });
		expect(checkEnvelope({ jsonrpc: '1.0', id: 2, method: 'GetTask' })).toMatchObject({
			ok: false,
			id: 2,
			message: expect.stringContaining('jsonrpc')
		});
		expect(checkEnvelope([1, 2])).toMatchObject({ ok: false, id: null });
		expect(checkEnvelope({ jsonrpc: '2.0', id: { no: 1 }, method: 'x' })).toMatchObject({ ok: false, id: null });
	});
});

describe('toAsk', () => {
	it('makes a new message of text, data and file parts', () => {
		const ask = toAsk(
			{ parts: parts({ text: 'Hi' }, { data: { a: 1 } }, { raw: 'aGk=', mediaType: 'text/plain', filename: 'hi.txt' }) },
			null
		);
		expect(ask).toEqual({
			type: 'message',
			parts: [
				{ type: 'text', text: 'Hi' },
				{ type: 'text', text: '{"a":1}' },
				{ type: 'file', mediaType: 'text/plain', url: 'data:text/plain;base64,aGk=', filename: 'hi.txt' }
			]
		});
	});

	it('answers waiting calls from data parts, or from the text when one call waits', () => {
		expect(
			toAsk({ parts: parts({ data: { toolCallId: 'c1', output: { t: 21 } } }) }, waiting({ id: 'c1', state: 'input-available' }))
		).toEqual({
			type: 'answers',
			answers: [{ toolCallId: 'c1', output: { t: 21 } }]
		});
		expect(toAsk({ parts: parts({ data: { toolCallId: 'c1', approved: false, reason: 'No' } }) }, null)).toEqual({
			type: 'answers',
			answers: [{ toolCallId: 'c1', output: { approved: false, reason: 'No' } }]
		});
		expect(toAsk({ parts: parts({ text: 'sunny' }) }, waiting({ id: 'c1', state: 'input-available' }))).toEqual({
			type: 'answers',
			answers: [{ toolCallId: 'c1', output: 'sunny' }]
		});
		expect(toAsk({ parts: parts({ text: 'Yes' }) }, waiting({ id: 'c1', state: 'approval-requested' }))).toEqual({
			type: 'answers',
			answers: [{ toolCallId: 'c1', output: { approved: true } }]
		});
		// Two calls wait: text is a new question.
		expect(
			toAsk({ parts: parts({ text: 'x' }) }, waiting({ id: 'c1', state: 'input-available' }, { id: 'c2', state: 'input-available' })).type
		).toBe('message');
	});

	it('refuses an empty message and too many parts', () => {
		expect(() => toAsk({ parts: [] }, null)).toThrow(AppError);
		expect(() => toAsk({ parts: parts(...Array.from({ length: 65 }, () => ({ text: 'x' }))) }, null)).toThrow(/at most 64/);
	});
});

describe('toCallerTools', () => {
	it('reads metadata.tools, refusing bad names and names taken', () => {
		expect(toCallerTools([{ tools: [{ name: 'get_weather' }] }], { tools: [] })).toEqual([
			{ name: 'get_weather', inputSchema: { type: 'object', properties: {} } }
		]);
		expect(toCallerTools([undefined, undefined], { tools: [] })).toEqual([]);
		expect(() => toCallerTools([{ tools: [{ name: 'bad name' }] }], { tools: [] })).toThrow(AppError);
		expect(() => toCallerTools([{ tools: [{ name: 'calculator' }] }], { tools: [{ name: 'calculator' }] as never })).toThrow(/already/);
	});
});

describe('toUserParts', () => {
	it('links a url part as a file', () => {
		expect(toUserParts(parts({ url: '/api/files/f1', mediaType: 'image/png' }))).toEqual([
			{ type: 'file', mediaType: 'image/png', url: '/api/files/f1' }
		]);
	});
});
