import { describe, expect, it } from 'vitest';
import { runExchange } from './run-exchange';
import { jsonRequest } from './request';
import type { RawEvent } from './types';
import { createParser } from './ui-stream';

/** A fetch that answers with the given chunks, one per read, and records what it was asked. */
function fakeFetch(response: () => Response) {
	const calls: { url: string; init: RequestInit }[] = [];
	const fetcher = (async (url: string, init: RequestInit) => {
		calls.push({ url, init });
		init.signal?.throwIfAborted();
		return response();
	}) as unknown as typeof fetch;
	return { fetcher, calls };
}

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream({
		start(controller) {
			for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
			controller.close();
		}
	});
}

/** A clock that moves 10 ms each time it is read. */
function clock() {
	let time = 1000;
	return () => (time += 10);
}

describe('runExchange', () => {
	it('sends the request and hands on each chunk’s events with the time since the start', async () => {
		// The last event has no blank line after it: the end of the body completes it.
		const { fetcher, calls } = fakeFetch(
			() =>
				new Response(streamOf(['data: {"type":"start"}\n\ndata: {"ty', 'pe":"finish"}\n\n', 'data: [DONE]']), {
					headers: { 'X-Parley-Task-Id': 't1' }
				})
		);
		const batches: RawEvent[][] = [];
		const heads: unknown[] = [];
		const outcome = await runExchange({
			request: jsonRequest('/api/chat', { id: 't1' }),
			parser: createParser(),
			fetch: fetcher,
			now: clock(),
			onResponse: (head) => heads.push(head),
			onEvents: (events) => batches.push(events)
		});
		expect(calls).toEqual([
			{
				url: '/api/chat',
				init: {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-parley-playground': '1' },
					body: '{"id":"t1"}',
					signal: undefined
				}
			}
		]);
		expect(outcome).toEqual({ kind: 'streamed', head: { status: 200, statusText: '', headers: { 'x-parley-task-id': 't1' } } });
		expect(heads).toHaveLength(1);
		expect(batches.map((batch) => batch.map((event) => [event.type, event.at]))).toEqual([
			[['start', 10]],
			[['finish', 20]],
			[['[DONE]', 40]]
		]);
	});

	it('reads a non-2xx answer whole as the error body', async () => {
		const { fetcher } = fakeFetch(() =>
			Response.json(
				{ error: { code: 'not_found', message: 'No agent "nope".', field: 'agent_id' } },
				{ status: 404, statusText: 'Not Found' }
			)
		);
		const outcome = await runExchange({
			request: jsonRequest('/x', {}),
			parser: createParser(),
			fetch: fetcher,
			now: clock(),
			onEvents: () => {}
		});
		expect(outcome).toMatchObject({
			kind: 'http-error',
			head: { status: 404, statusText: 'Not Found' },
			body: { error: { code: 'not_found', message: 'No agent "nope".', field: 'agent_id' } }
		});
	});

	it('reports a stop and a network failure', async () => {
		const controller = new AbortController();
		controller.abort();
		const { fetcher } = fakeFetch(() => new Response('data: {}\n\n'));
		expect(
			await runExchange({
				request: jsonRequest('/x', {}),
				parser: createParser(),
				fetch: fetcher,
				signal: controller.signal,
				now: clock(),
				onEvents: () => {}
			})
		).toEqual({
			kind: 'aborted',
			head: undefined
		});
		const broken = (async () => {
			throw new TypeError('Failed to fetch');
		}) as unknown as typeof fetch;
		expect(
			await runExchange({ request: jsonRequest('/x', {}), parser: createParser(), fetch: broken, now: clock(), onEvents: () => {} })
		).toEqual({
			kind: 'failed',
			head: undefined,
			message: 'Failed to fetch'
		});
	});
});
