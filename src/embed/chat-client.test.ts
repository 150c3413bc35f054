import { describe, expect, it } from 'vitest';
import { describeFailure, historyOf, randomId, serverBase } from './chat-client';

describe('serverBase', () => {
	it('keeps the origin and any path, without a trailing slash; refuses other schemes', () => {
		expect(serverBase('https://chat.example.com/')).toBe('https://chat.example.com');
		expect(serverBase('https://example.com/parley/')).toBe('https://example.com/parley');
		expect(serverBase('/', 'http://127.0.0.1:4318/page')).toBe('http://127.0.0.1:4318');
		expect(serverBase('javascript:alert(1)')).toBeUndefined();
		expect(serverBase('not a url')).toBeUndefined();
	});
});

describe('randomId', () => {
	it('makes ids the chat stream accepts as new task ids', () => {
		const id = randomId('chat_', 18);
		expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
		expect(randomId('chat_', 18)).not.toBe(id);
	});
});

describe('describeFailure', () => {
	it('says the agent is not available for 401, 403 and 404, with the server’s message', async () => {
		const refused = await describeFailure(
			Response.json({ error: { code: 'unauthorized', message: 'Log in or send an API key to use this agent.' } }, { status: 401 })
		);
		expect(refused).toEqual({
			refused: true,
			title: 'This agent is not available here.',
			detail: 'Log in or send an API key to use this agent.'
		});
		expect((await describeFailure(new Response('nope', { status: 404 }))).refused).toBe(true);
		const limited = await describeFailure(new Response('{}', { status: 429 }));
		expect(limited.refused).toBe(false);
		expect(limited.title).toMatch(/Too many/);
	});
});

describe('historyOf', () => {
	it('turns a team-agent task into questions and answers, and sees an answer still running', () => {
		const { messages, running } = historyOf({
			content: [
				{ request: { text: 'Hi' }, response: { text: 'Hello!', is_error: false, is_interrupted: false } },
				{ request: { text: 'Stop that' }, response: { text: 'Part', is_interrupted: true } },
				{ request: { text: 'Broken' }, response: { text: '', is_error: true, error: 'The model failed.' } },
				{ request: { text: 'Still going?' } }
			]
		});
		expect(running).toBe(true);
		expect(messages.map((message) => [message.role, message.parts, message.status ?? null])).toEqual([
			['user', [{ type: 'text', text: 'Hi' }], null],
			['assistant', [{ type: 'text', text: 'Hello!' }], 'complete'],
			['user', [{ type: 'text', text: 'Stop that' }], null],
			['assistant', [{ type: 'text', text: 'Part' }], 'interrupted'],
			['user', [{ type: 'text', text: 'Broken' }], null],
			['assistant', [], 'error'],
			['user', [{ type: 'text', text: 'Still going?' }], null]
		]);
		expect(messages[5].error).toBe('The model failed.');
		expect(historyOf(null)).toEqual({ messages: [], running: false });
	});
});
