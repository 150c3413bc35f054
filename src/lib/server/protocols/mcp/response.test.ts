import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { callsTool, jsonRpcErrorResponse, toToolErrorOf, toToolResult } from './response';

const done = { text: 'Hi there', error: undefined, pending: [], endReason: 'completed' as const };

describe('toToolResult', () => {
	it('is the answer’s text with {task_id, text}', () => {
		expect(toToolResult('t1', done)).toEqual({
			content: [{ type: 'text', text: 'Hi there' }],
			structuredContent: { task_id: 't1', text: 'Hi there' }
		});
	});

	it('is a tool error for a failed run, a stopped one, or one that waits for calls', () => {
		expect(toToolResult('t1', { ...done, error: 'The model failed.' })).toEqual({
			content: [{ type: 'text', text: 'The model failed.' }],
			isError: true
		});
		expect(toToolResult('t1', { ...done, endReason: 'interrupted' }).isError).toBe(true);
		expect(toToolResult('t1', { ...done, endReason: undefined }).isError).toBe(true);
		const waiting = toToolResult('t1', {
			...done,
			endReason: 'awaiting-input',
			pending: [{ toolCallId: 'c', toolName: 'current_time', input: {} }]
		});
		expect(waiting.isError).toBe(true);
		expect(waiting.content[0].text).toContain('current_time');
	});
});

describe('toToolErrorOf', () => {
	it('names the field at fault', () => {
		expect(toToolErrorOf(new AppError('not_found', 'No task "x" was found.', { field: 'task_id' })).content[0].text).toBe(
			'task_id: No task "x" was found.'
		);
	});

	it('hides an unexpected error’s detail', () => {
		const original = console.error;
		console.error = () => undefined;
		try {
			expect(toToolErrorOf(new Error('SQLITE_BUSY at /secret/path')).content[0].text).not.toContain('secret');
		} finally {
			console.error = original;
		}
	});
});

describe('callsTool', () => {
	it('finds a tools/call in a message or a batch', () => {
		expect(callsTool({ jsonrpc: '2.0', id: 1, method: 'tools/call' })).toBe(true);
		expect(callsTool([{ method: 'ping' }, { method: 'tools/call' }])).toBe(true);
		expect(callsTool({ method: 'tools/list' })).toBe(false);
		expect(callsTool(null)).toBe(false);
	});
});

describe('jsonRpcErrorResponse', () => {
	it('is a JSON-RPC error without an id', async () => {
		const response = jsonRpcErrorResponse(400, -32700, 'Parse error');
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
	});
});
