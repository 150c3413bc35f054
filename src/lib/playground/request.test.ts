import { describe, expect, it } from 'vitest';
import { jsonRequest, toFetchInit } from './request';

describe('toFetchInit', () => {
	it('sends JSON bodies as compact JSON with their headers', () => {
		const signal = new AbortController().signal;
		expect(toFetchInit(jsonRequest('/v1/chat/completions', { model: 'm', stream: true }), signal)).toEqual({
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-parley-playground': '1' },
			body: '{"model":"m","stream":true}',
			signal
		});
	});

	it('sends form fields as FormData, leaving the content type (and its boundary) to fetch', async () => {
		const init = toFetchInit({
			method: 'POST',
			url: '/api/teams/messages',
			headers: { accept: 'text/event-stream' },
			body: {
				kind: 'form',
				fields: [
					['text', 'hi'],
					['id_team', 'playground']
				]
			}
		});
		expect(init.headers).toEqual({ accept: 'text/event-stream', 'x-parley-playground': '1' });
		expect(init.body).toBeInstanceOf(FormData);
		expect([...(init.body as FormData).entries()]).toEqual([
			['text', 'hi'],
			['id_team', 'playground']
		]);
		const body = await new Request('http://h/', init).text();
		expect(body).toContain('name="text"\r\n\r\nhi\r\n');
	});

	it('sends no body when there is none', () => {
		expect(toFetchInit({ method: 'POST', url: '/x', headers: {}, body: { kind: 'none' } }).body).toBeUndefined();
	});
});
