import { describe, expect, it } from 'vitest';
import { shellQuote, toCurl } from './curl';
import { jsonRequest } from './request';

describe('shellQuote', () => {
	it('single-quotes words, escaping single quotes', () => {
		expect(shellQuote('plain')).toBe(`'plain'`);
		expect(shellQuote(`it's $HOME`)).toBe(`'it'\\''s $HOME'`);
	});
});

describe('toCurl', () => {
	it('copies a JSON request exactly, with an API key instead of the session cookie', () => {
		const request = jsonRequest('/api/agent/stream/', { agent_id: 'weather', message: "what's up?" });
		request.headers.cookie = 'parley_session=secret';
		expect(toCurl(request, 'http://127.0.0.1:4377')).toBe(
			[
				`curl -N -X POST 'http://127.0.0.1:4377/api/agent/stream/'`,
				`-H 'content-type: application/json'`,
				`-H "Authorization: Bearer $PARLEY_KEY"`,
				`--data-raw '{"agent_id":"weather","message":"what'\\''s up?"}'`
			].join(' \\\n  ')
		);
	});

	it('sends multipart fields with -F, and values curl would read as files with --form-string', () => {
		const command = toCurl(
			{
				method: 'POST',
				url: '/api/teams/messages',
				headers: { accept: 'text/event-stream' },
				body: {
					kind: 'form',
					fields: [
						['id_team_agent', 'tool-demo'],
						['text', '@/etc/passwd please']
					]
				}
			},
			'https://parley.example'
		);
		expect(command).toBe(
			[
				`curl -N -X POST 'https://parley.example/api/teams/messages'`,
				`-H 'accept: text/event-stream'`,
				`-H "Authorization: Bearer $PARLEY_KEY"`,
				`-F 'id_team_agent=tool-demo'`,
				`--form-string 'text=@/etc/passwd please'`
			].join(' \\\n  ')
		);
	});

	it('copies a request without a body', () => {
		expect(toCurl({ method: 'POST', url: '/api/chat/t1/stop', headers: {}, body: { kind: 'none' } }, 'http://h')).toBe(
			`curl -N -X POST 'http://h/api/chat/t1/stop' \\\n  -H "Authorization: Bearer $PARLEY_KEY"`
		);
	});
});
