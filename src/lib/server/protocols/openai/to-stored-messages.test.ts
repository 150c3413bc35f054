import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { chatCompletionRequestSchema, type OpenAIMessage } from './request';
import { dataUrlMediaType, toStoredMessages } from './to-stored-messages';

/** Messages as the request schema reads them. */
function parse(messages: unknown[]): OpenAIMessage[] {
	return chatCompletionRequestSchema.parse({ model: 'assistant', messages }).messages;
}

/** The error a function throws. */
function thrown(run: () => unknown): AppError {
	try {
		run();
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	throw new Error('Nothing was thrown');
}

const weatherCall = {
	role: 'assistant',
	content: 'Let me use the get_weather tool.',
	tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]
};

describe('toStoredMessages', () => {
	it('stores system, developer, user and assistant messages as parts', () => {
		const converted = toStoredMessages(
			parse([
				{ role: 'system', content: 'Be brief.' },
				{ role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
				{ role: 'user', content: 'Hello' },
				{ role: 'assistant', content: 'Hi!' },
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'One' },
						{ type: 'text', text: 'Two' }
					]
				}
			])
		);
		expect(converted).toStrictEqual({
			messages: [
				{ role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
				{ role: 'system', parts: [{ type: 'text', text: 'Use French.' }] },
				{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] },
				{ role: 'assistant', parts: [{ type: 'step-start' }, { type: 'text', text: 'Hi!', state: 'done' }] },
				{
					role: 'user',
					parts: [
						{ type: 'text', text: 'One' },
						{ type: 'text', text: 'Two' }
					]
				}
			],
			trailingAnswers: [],
			serverCalls: []
		});
	});

	it('passes data URLs on as files and notes images it leaves out', () => {
		const png = 'data:image/png;base64,iVBORw0KGgo=';
		const converted = toStoredMessages(
			parse([
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'Look' },
						{ type: 'image_url', image_url: { url: png } },
						{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
						{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
						{ type: 'file', file: { file_data: 'JVBERi0=', filename: 'b.pdf' } },
						{ type: 'file', file: { file_id: 'file-123' } },
						{ type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } }
					]
				}
			])
		);
		expect(converted.messages[0].parts).toStrictEqual([
			{ type: 'text', text: 'Look' },
			{ type: 'file', mediaType: 'image/png', url: png },
			{
				type: 'text',
				text: '[An image was left out (https://example.com/cat.png): only images sent as data URLs reach the agent.]'
			},
			{ type: 'file', mediaType: 'application/pdf', url: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
			{ type: 'file', mediaType: 'application/pdf', url: 'data:application/pdf;base64,JVBERi0=', filename: 'b.pdf' },
			{ type: 'text', text: '[A file was left out (file-123): only files sent as file_data reach the agent.]' },
			{ type: 'file', mediaType: 'audio/wav', url: 'data:audio/wav;base64,UklGRg==' }
		]);
	});

	it('makes one answer of tool calls, their results and the text after them', () => {
		const converted = toStoredMessages(
			parse([
				{ role: 'user', content: 'get weather city=Paris' },
				weatherCall,
				{ role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' },
				{ role: 'assistant', content: 'It is 21 degrees.' },
				{ role: 'user', content: 'Thanks' }
			])
		);
		expect(converted.messages).toStrictEqual([
			{ role: 'user', parts: [{ type: 'text', text: 'get weather city=Paris' }] },
			{
				role: 'assistant',
				parts: [
					{ type: 'step-start' },
					{ type: 'text', text: 'Let me use the get_weather tool.', state: 'done' },
					{
						type: 'tool-get_weather',
						toolCallId: 'call_1',
						state: 'output-available',
						input: { city: 'Paris' },
						output: { temperature: 21 }
					},
					{ type: 'step-start' },
					{ type: 'text', text: 'It is 21 degrees.', state: 'done' }
				]
			},
			{ role: 'user', parts: [{ type: 'text', text: 'Thanks' }] }
		]);
		expect(converted.trailingAnswers).toStrictEqual([]);
	});

	it('leaves calls answered at the end pending, and returns their answers', () => {
		const converted = toStoredMessages(
			parse([
				{ role: 'user', content: 'get weather city=Paris' },
				weatherCall,
				{ role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'Sunny' }] }
			])
		);
		expect(converted.messages[1].parts[2]).toStrictEqual({
			type: 'tool-get_weather',
			toolCallId: 'call_1',
			state: 'input-available',
			input: { city: 'Paris' }
		});
		expect(converted.trailingAnswers).toStrictEqual([{ toolCallId: 'call_1', output: 'Sunny' }]);
	});

	it('marks pending calls of tools that need approval as waiting for approval', () => {
		const converted = toStoredMessages(
			parse([
				{ role: 'user', content: 'current time' },
				{
					role: 'assistant',
					content: null,
					tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'current_time', arguments: '{}' } }]
				},
				{ role: 'tool', tool_call_id: 'call_1', content: '{"approved":true}' }
			]),
			{ approvalTools: new Set(['current_time']) }
		);
		expect(converted.messages[1].parts).toStrictEqual([
			{ type: 'step-start' },
			{
				type: 'tool-current_time',
				toolCallId: 'call_1',
				state: 'approval-requested',
				input: {},
				approval: { id: 'approval_call_1' }
			}
		]);
		expect(converted.trailingAnswers).toStrictEqual([{ toolCallId: 'call_1', output: { approved: true } }]);
	});

	it('never leaves a call of a server tool waiting: trailing ones are listed apart, earlier ones are history', () => {
		const paymentCall = (id: string, args: string) => ({
			role: 'assistant',
			content: null,
			tool_calls: [{ id, type: 'function', function: { name: 'send_payment', arguments: args } }]
		});
		const converted = toStoredMessages(
			parse([
				{ role: 'user', content: 'pay' },
				paymentCall('call_1', '{"amount":5}'),
				{ role: 'tool', tool_call_id: 'call_1', content: '{"approved":true}' },
				{ role: 'assistant', content: 'Paid.' },
				{ role: 'user', content: 'pay again' },
				paymentCall('call_2', '{"amount":1000000}'),
				{ role: 'tool', tool_call_id: 'call_2', content: '{"approved":true}' }
			]),
			{ serverTools: new Set(['send_payment']), approvalTools: new Set(['send_payment']) }
		);
		expect(converted.messages[1].parts[1]).toStrictEqual({
			type: 'tool-send_payment',
			toolCallId: 'call_1',
			state: 'output-available',
			input: { amount: 5 },
			output: { approved: true }
		});
		expect(converted.messages[3].parts[1]).toStrictEqual({
			type: 'tool-send_payment',
			toolCallId: 'call_2',
			state: 'input-available',
			input: { amount: 1000000 }
		});
		expect(converted.trailingAnswers).toStrictEqual([{ toolCallId: 'call_2', output: { approved: true } }]);
		expect(converted.serverCalls).toStrictEqual([
			{ toolCallId: 'call_2', toolName: 'send_payment', input: { amount: 1000000 }, answered: true, field: 'messages.6.tool_call_id' }
		]);
	});

	it('refuses a tool message that answers no call before it', () => {
		const error = thrown(() =>
			toStoredMessages(
				parse([
					{ role: 'user', content: 'Hi' },
					{ role: 'tool', tool_call_id: 'call_9', content: 'x' }
				])
			)
		);
		expect(error.code).toBe('invalid_input');
		expect(error.field).toBe('messages.1.tool_call_id');
	});

	it('refuses a call left unanswered before the end', () => {
		const error = thrown(() => toStoredMessages(parse([{ role: 'user', content: 'Hi' }, weatherCall, { role: 'user', content: 'And?' }])));
		expect(error.field).toBe('messages.1.tool_calls');
	});

	it('refuses a history that ends with calls and no answers', () => {
		expect(thrown(() => toStoredMessages(parse([{ role: 'user', content: 'Hi' }, weatherCall]))).field).toBe('messages.1.tool_calls');
	});

	it('refuses the same call id twice in one answer', () => {
		const error = thrown(() =>
			toStoredMessages(
				parse([
					{ role: 'user', content: 'Hi' },
					{ ...weatherCall, tool_calls: [...weatherCall.tool_calls, ...weatherCall.tool_calls] }
				])
			)
		);
		expect(error.field).toBe('messages.1.tool_calls.1.id');
	});
});

describe('dataUrlMediaType', () => {
	it('reads the media type of a data URL', () => {
		expect(dataUrlMediaType('data:Image/PNG;base64,AAAA')).toBe('image/png');
		expect(dataUrlMediaType('data:,hello')).toBe('text/plain');
		expect(dataUrlMediaType('https://example.com/a.png')).toBeUndefined();
	});
});
