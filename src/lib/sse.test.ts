import { describe, expect, it } from 'vitest';
import { SseParser } from './sse';

describe('SseParser', () => {
	it('returns an event once its blank line arrives, joining data lines', () => {
		const parser = new SseParser();
		expect(parser.push('event: done\nid: 7\ndata: {"a":1}\ndata: {"b":2}\n')).toEqual([]);
		expect(parser.push('\n')).toEqual([
			{
				event: 'done',
				id: '7',
				data: '{"a":1}\n{"b":2}',
				hasData: true,
				comments: [],
				raw: 'event: done\nid: 7\ndata: {"a":1}\ndata: {"b":2}'
			}
		]);
	});

	it('keeps text between chunks, even a line cut in the middle', () => {
		const parser = new SseParser();
		expect(parser.push('da')).toEqual([]);
		expect(parser.push('ta: hel')).toEqual([]);
		expect(parser.push('lo\n\ndata: [DO')).toEqual([{ data: 'hello', hasData: true, comments: [], raw: 'data: hello' }]);
		expect(parser.push('NE]\n\n')).toEqual([{ data: '[DONE]', hasData: true, comments: [], raw: 'data: [DONE]' }]);
	});

	it('reads CRLF and CR line ends, and a CRLF cut between two chunks', () => {
		const parser = new SseParser();
		// The last CR may be the first half of a CRLF: it waits for the next chunk.
		expect(parser.push('data: a\r\n\r')).toEqual([]);
		expect(parser.push('\ndata: b\r\r')).toEqual([{ data: 'a', hasData: true, comments: [], raw: 'data: a' }]);
		expect(parser.push(':')).toEqual([{ data: 'b', hasData: true, comments: [], raw: 'data: b' }]);
	});

	it('reads comments, strips one space after the colon only, and a field without a colon', () => {
		const parser = new SseParser();
		expect(parser.push(': keep-alive\n\ndata:  two spaces\ndata\n\n')).toEqual([
			{ data: '', hasData: false, comments: ['keep-alive'], raw: ': keep-alive' },
			{ data: ' two spaces\n', hasData: true, comments: [], raw: 'data:  two spaces\ndata' }
		]);
	});

	it('hands over an event left without its blank line at the end', () => {
		const parser = new SseParser();
		expect(parser.push('data: last')).toEqual([]);
		expect(parser.end()).toEqual([{ data: 'last', hasData: true, comments: [], raw: 'data: last' }]);
		expect(parser.end()).toEqual([]);
	});
});
