import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatSseEvent, KEEP_ALIVE_MS, SSE_HEADERS, sseStream, type SseEvent } from './sse';
import { collectText, streamOf } from '../../../../tests/support/streams';

describe('SSE_HEADERS', () => {
	it('asks for no caching, no buffering and names the event-stream type', () => {
		expect(SSE_HEADERS).toEqual({
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		});
	});
});

describe('formatSseEvent', () => {
	it('sends non-string data as JSON on one data line', () => {
		expect(formatSseEvent({ data: { type: 'start', messageId: 'm1' } })).toBe('data: {"type":"start","messageId":"m1"}\n\n');
		expect(formatSseEvent({ data: [1, 2] })).toBe('data: [1,2]\n\n');
		expect(formatSseEvent({ data: 42 })).toBe('data: 42\n\n');
		expect(formatSseEvent({ data: null })).toBe('data: null\n\n');
		expect(formatSseEvent({ data: true })).toBe('data: true\n\n');
	});

	it('keeps line breaks inside JSON strings escaped, so JSON stays on one line', () => {
		expect(formatSseEvent({ data: { text: 'a\nb' } })).toBe('data: {"text":"a\\nb"}\n\n');
	});

	it('sends string data as is, without JSON quotes', () => {
		expect(formatSseEvent({ data: '[DONE]' })).toBe('data: [DONE]\n\n');
		expect(formatSseEvent({ data: 'hello world' })).toBe('data: hello world\n\n');
	});

	it('sends an empty string as one empty data line', () => {
		expect(formatSseEvent({ data: '' })).toBe('data: \n\n');
	});

	it('splits multi-line string data over several data lines, for every kind of line break', () => {
		expect(formatSseEvent({ data: 'one\ntwo' })).toBe('data: one\ndata: two\n\n');
		expect(formatSseEvent({ data: 'a\r\nb\rc\nd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
		expect(formatSseEvent({ data: 'end\n' })).toBe('data: end\ndata: \n\n');
		expect(formatSseEvent({ data: '\n\n' })).toBe('data: \ndata: \ndata: \n\n');
	});

	it('writes the event and id fields before the data', () => {
		expect(formatSseEvent({ event: 'message', id: '7', data: { ok: true } })).toBe('event: message\nid: 7\ndata: {"ok":true}\n\n');
		expect(formatSseEvent({ event: 'ping', data: 'x' })).toBe('event: ping\ndata: x\n\n');
		expect(formatSseEvent({ id: 'abc', data: 'x' })).toBe('id: abc\ndata: x\n\n');
	});

	it('writes an empty id (which resets the last event id)', () => {
		expect(formatSseEvent({ id: '', data: 'x' })).toBe('id: \ndata: x\n\n');
	});

	it('refuses a line break in the event name or the id', () => {
		expect(() => formatSseEvent({ event: 'a\nb', data: 'x' })).toThrow('An SSE event cannot contain a line break');
		expect(() => formatSseEvent({ event: 'a\rb', data: 'x' })).toThrow('An SSE event cannot contain a line break');
		expect(() => formatSseEvent({ id: '1\n2', data: 'x' })).toThrow('An SSE id cannot contain a line break');
		expect(() => formatSseEvent({ id: '1\r\n', data: 'x' })).toThrow('An SSE id cannot contain a line break');
	});
});

describe('sseStream', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('turns events into the exact SSE bytes, then appends the last event', async () => {
		const events: SseEvent[] = [
			{ data: { type: 'start' } },
			{ event: 'note', id: '2', data: 'line one\nline two' },
			{ data: { type: 'finish', finishReason: 'stop' } }
		];
		const text = await collectText(streamOf(events).pipeThrough(sseStream({ last: { data: '[DONE]' } })));
		expect(text).toBe(
			'data: {"type":"start"}\n\n' +
				'event: note\nid: 2\ndata: line one\ndata: line two\n\n' +
				'data: {"type":"finish","finishReason":"stop"}\n\n' +
				'data: [DONE]\n\n'
		);
	});

	it('adds nothing at the end without a last event', async () => {
		const text = await collectText(streamOf<SseEvent>([{ data: 1 }, { data: 2 }]).pipeThrough(sseStream()));
		expect(text).toBe('data: 1\n\ndata: 2\n\n');
	});

	it('with map, sends what it makes of each input and skips what it leaves out', async () => {
		const stream = streamOf([1, 2, 3]).pipeThrough(
			sseStream({ map: (value: number) => (value === 2 ? undefined : { event: 'n', data: { value } }), last: { data: '[DONE]' } })
		);
		expect(await collectText(stream)).toBe('event: n\ndata: {"value":1}\n\nevent: n\ndata: {"value":3}\n\ndata: [DONE]\n\n');
	});

	it('sends only the last event for an empty source', async () => {
		const text = await collectText(streamOf<SseEvent>([]).pipeThrough(sseStream({ last: { data: '[DONE]' } })));
		expect(text).toBe('data: [DONE]\n\n');
	});

	it('encodes non-ASCII text as UTF-8', async () => {
		const chunks: Uint8Array[] = [];
		for await (const chunk of streamOf<SseEvent>([{ data: 'é' }]).pipeThrough(sseStream())) chunks.push(chunk);
		expect(chunks).toHaveLength(1);
		expect([...chunks[0]]).toEqual([...new TextEncoder().encode('data: é\n\n')]);
	});

	it('writes a keep-alive comment every keepAliveMs while idle, and stops once the source ends', async () => {
		vi.useFakeTimers();
		const transform = sseStream({ keepAliveMs: 10, last: { data: '[DONE]' } });
		const writer = transform.writable.getWriter();
		const reader = transform.readable.getReader();
		const decoder = new TextDecoder();
		const next = async () => {
			const { value, done } = await reader.read();
			return done ? null : decoder.decode(value);
		};

		vi.advanceTimersByTime(9);
		void writer.write({ data: 'first' });
		expect(await next()).toBe('data: first\n\n');

		vi.advanceTimersByTime(1);
		expect(await next()).toBe(': keep-alive\n\n');

		vi.advanceTimersByTime(20);
		expect(await next()).toBe(': keep-alive\n\n');
		expect(await next()).toBe(': keep-alive\n\n');

		const closed = writer.close();
		expect(await next()).toBe('data: [DONE]\n\n');
		expect(await next()).toBeNull();
		await closed;
		expect(vi.getTimerCount()).toBe(0);
	});

	it('uses a 15 s keep-alive by default', async () => {
		vi.useFakeTimers();
		expect(KEEP_ALIVE_MS).toBe(15_000);
		const transform = sseStream();
		const reader = transform.readable.getReader();
		vi.advanceTimersByTime(KEEP_ALIVE_MS - 1);
		const pending = reader.read();
		let settled = false;
		void pending.then(() => (settled = true));
		await Promise.resolve();
		await Promise.resolve();
		expect(settled).toBe(false);
		vi.advanceTimersByTime(1);
		expect(new TextDecoder().decode((await pending).value)).toBe(': keep-alive\n\n');
		await transform.writable.close();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('stops the keep-alive timer when the reader cancels', async () => {
		vi.useFakeTimers();
		const transform = sseStream({ keepAliveMs: 5 });
		const reader = transform.readable.getReader();
		await reader.cancel();
		expect(vi.getTimerCount()).toBe(1);
		// The next tick fails to enqueue on the cancelled stream and clears its interval.
		vi.advanceTimersByTime(5);
		expect(vi.getTimerCount()).toBe(0);
	});
});
