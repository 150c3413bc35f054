import { describe, expect, it } from 'vitest';
import { agentRunRequestSchema, toInlineFilePart, toolOutputRequestSchema } from './request';

describe('agentRunRequestSchema', () => {
	it('defaults to running tools and to no files', () => {
		expect(agentRunRequestSchema.parse({ message: 'Hi', agent_id: 'assistant' })).toStrictEqual({
			message: 'Hi',
			agent_id: 'assistant',
			auto_execute_tools: true,
			files: []
		});
	});

	it('reads a numeric session id from old clients as text, and agent ids as numbers or slugs', () => {
		const body = agentRunRequestSchema.parse({ message: 'Hi', agent_id: 2, session_id: 17 });
		expect(body.session_id).toBe('17');
		expect(body.agent_id).toBe(2);
	});

	it.each([
		[{ agent_id: 'assistant' }, 'message'],
		[{ message: 'Hi' }, 'agent_id'],
		[{ message: '  ', agent_id: 'assistant' }, 'message'],
		[{ message: 'Hi', agent_id: 'assistant', session_id: '' }, 'session_id'],
		[{ message: 'Hi', agent_id: 'assistant', auto_execute_tools: 'no' }, 'auto_execute_tools'],
		[{ message: 'Hi', agent_id: 'assistant', context: [1] }, 'context'],
		[
			{ message: 'Hi', agent_id: 'assistant', files: [{ name: 'a.txt', mime_type: 'text/plain', base64: 'not base64!' }] },
			'files.0.base64'
		],
		[{ message: 'Hi', agent_id: 'assistant', files: [{ name: 'a.txt', mime_type: 'text', base64: 'aGk=' }] }, 'files.0.mime_type']
	])('names the field at fault in %j', (body, field) => {
		const result = agentRunRequestSchema.safeParse(body);
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].path.join('.')).toBe(field);
	});

	it('accepts files alone, as ids or inline, with or without a data URL prefix', () => {
		const body = agentRunRequestSchema.parse({
			message: '',
			agent_id: 'assistant',
			files: ['file123', { name: 'hi.txt', mime_type: 'Text/Plain', base64: 'data:text/plain;base64,aGkg\nd29ybGQ=' }]
		});
		expect(body.files).toStrictEqual(['file123', { name: 'hi.txt', mime_type: 'text/plain', base64: 'aGkgd29ybGQ=' }]);
	});
});

describe('toInlineFilePart', () => {
	it('makes an AI SDK file part with a data URL', () => {
		expect(toInlineFilePart({ name: 'hi.txt', mime_type: 'text/plain', base64: 'aGk=' })).toStrictEqual({
			type: 'file',
			mediaType: 'text/plain',
			url: 'data:text/plain;base64,aGk=',
			filename: 'hi.txt'
		});
	});
});

describe('toolOutputRequestSchema', () => {
	it('takes any JSON output, null included, and a numeric session id', () => {
		expect(toolOutputRequestSchema.parse({ session_id: 3, call_id: 'c1', output: null })).toStrictEqual({
			session_id: '3',
			call_id: 'c1',
			output: null
		});
		expect(toolOutputRequestSchema.parse({ session_id: 's', call_id: 'c1', output: { approved: true } }).output).toStrictEqual({
			approved: true
		});
	});

	it('requires the output', () => {
		expect(toolOutputRequestSchema.safeParse({ session_id: 's', call_id: 'c1' }).error?.issues[0].path).toStrictEqual(['output']);
	});
});
