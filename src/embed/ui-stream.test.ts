import { describe, expect, it } from 'vitest';
import { createAssembler, parseChunk, readSseData, type ChatMessage } from './ui-stream';

/** A body that arrives in the given pieces, split wherever they say. */
function bodyOf(pieces: string[]): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream({
		start(controller) {
			for (const piece of pieces) controller.enqueue(encoder.encode(piece));
			controller.close();
		}
	});
}

async function collect(body: ReadableStream<Uint8Array>): Promise<string[]> {
	const out: string[] = [];
	for await (const data of readSseData(body)) out.push(data);
	return out;
}

/** An SSE stream of the given chunks, as the server writes it. */
function sse(chunks: unknown[]): string {
	return `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;
}

async function assemble(chunks: unknown[], message: ChatMessage = { id: 'local', role: 'assistant', parts: [] }) {
	const assembler = createAssembler(message);
	const text = sse(chunks);
	// Cut the stream in awkward places: mid-line and mid-character.
	const bytes = new TextEncoder().encode(text);
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			for (let index = 0; index < bytes.length; index += 7) controller.enqueue(bytes.slice(index, index + 7));
			controller.close();
		}
	});
	for await (const data of readSseData(body)) {
		const chunk = parseChunk(data);
		if (chunk) assembler.apply(chunk);
	}
	assembler.close();
	return { message, end: assembler.end };
}

describe('readSseData', () => {
	it('yields each event’s data up to [DONE], across pieces and line endings', async () => {
		expect(await collect(bodyOf(['data: {"a":1}\n', '\ndata: two\r\n\r\n: comment\n\nevent: x\ndata: [DONE]\n\ndata: after\n\n']))).toEqual(
			['{"a":1}', 'two']
		);
	});

	it('joins multi-line data and keeps a last event without its blank line', async () => {
		expect(await collect(bodyOf(['data: a\ndata: b\n\ndata:c']))).toEqual(['a\nb', 'c']);
	});
});

describe('parseChunk', () => {
	it('reads chunks and skips what is not one', () => {
		expect(parseChunk('{"type":"finish"}')).toEqual({ type: 'finish' });
		expect(parseChunk('not json')).toBeUndefined();
		expect(parseChunk('{"no":"type"}')).toBeUndefined();
		expect(parseChunk('null')).toBeUndefined();
	});
});

describe('createAssembler', () => {
	it('builds reasoning, text and a tool call with its output, and takes the server’s message id', async () => {
		const { message, end } = await assemble([
			{ type: 'start', messageId: 'msg_server' },
			{ type: 'start-step' },
			{ type: 'reasoning-start', id: 'r1' },
			{ type: 'reasoning-delta', id: 'r1', delta: 'Thinking é' },
			{ type: 'reasoning-end', id: 'r1' },
			{ type: 'tool-input-start', toolCallId: 'c1', toolName: 'calculator' },
			{ type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta: '{"expression":' },
			{ type: 'tool-input-available', toolCallId: 'c1', toolName: 'calculator', input: { expression: '6*7' } },
			{ type: 'tool-output-available', toolCallId: 'c1', output: { result: 42 } },
			{ type: 'finish-step' },
			{ type: 'text-start', id: 't1' },
			{ type: 'text-delta', id: 't1', delta: 'The answer ' },
			{ type: 'text-delta', id: 't1', delta: 'is 42.' },
			{ type: 'text-end', id: 't1' },
			{ type: 'finish', finishReason: 'stop' }
		]);
		expect(end).toEqual({ type: 'finish' });
		expect(message).toEqual({
			id: 'msg_server',
			role: 'assistant',
			parts: [
				{ type: 'reasoning', text: 'Thinking é', state: 'done' },
				{
					type: 'tool-calculator',
					toolCallId: 'c1',
					toolName: 'calculator',
					state: 'output-available',
					input: { expression: '6*7' },
					output: { result: 42 }
				},
				{ type: 'text', text: 'The answer is 42.', state: 'done' }
			]
		});
	});

	it('keeps widgets by id (a later chunk with the same id replaces the data), and drops transient data', async () => {
		const { message } = await assemble([
			{ type: 'data-widget', id: 'w1', data: { type: 'choice', data: { options: [] } } },
			{ type: 'data-widget', id: 'w1', data: { type: 'choice', data: { options: [{ value: 'a', label: 'A' }] } } },
			{ type: 'data-widget', id: 'w2', data: { type: 'choice', data: {} }, transient: true },
			{ type: 'data-other', id: 'x', data: {} },
			{ type: 'finish' }
		]);
		expect(message.parts).toEqual([
			{ type: 'data-widget', id: 'w1', data: { type: 'choice', data: { options: [{ value: 'a', label: 'A' }] } } }
		]);
	});

	it('records tool failures, approvals and denials', async () => {
		const { message } = await assemble([
			{ type: 'tool-input-error', toolCallId: 'bad', toolName: 'calculator', input: 'x', errorText: 'Invalid input' },
			{ type: 'tool-input-available', toolCallId: 'ok', toolName: 'delete_all', input: {} },
			{ type: 'tool-approval-request', toolCallId: 'ok', approvalId: 'ap1' },
			{ type: 'tool-input-available', toolCallId: 'no', toolName: 'delete_all', input: {} },
			{ type: 'tool-output-denied', toolCallId: 'no' },
			{ type: 'finish', finishReason: 'tool-calls' }
		]);
		expect(message.parts.map((part) => ('state' in part ? part.state : undefined))).toEqual([
			'output-error',
			'approval-requested',
			'output-denied'
		]);
		expect(message.parts[0]).toMatchObject({ errorText: 'Invalid input' });
		expect(message.parts[1]).toMatchObject({ approval: { id: 'ap1' } });
	});

	it('continues a message that already has parts (after a tool output)', async () => {
		const start: ChatMessage = {
			id: 'msg_1',
			role: 'assistant',
			parts: [{ type: 'tool-pick', toolCallId: 'c1', toolName: 'pick', state: 'output-available', output: 'a' }]
		};
		const { message } = await assemble(
			[{ type: 'start', messageId: 'msg_1' }, { type: 'text-delta', id: 't9', delta: 'Thanks.' }, { type: 'finish' }],
			start
		);
		expect(message.parts).toHaveLength(2);
		expect(message.parts[1]).toEqual({ type: 'text', text: 'Thanks.', state: 'done' });
	});

	it('reports errors and aborts as the end of the stream', async () => {
		const failed = await assemble([
			{ type: 'text-delta', id: 't', delta: 'Part' },
			{ type: 'error', errorText: 'The model failed.' }
		]);
		expect(failed.end).toEqual({ type: 'error', errorText: 'The model failed.' });
		expect(failed.message.error).toBe('The model failed.');
		const stopped = await assemble([{ type: 'text-delta', id: 't', delta: 'Part' }, { type: 'abort' }]);
		expect(stopped.end).toEqual({ type: 'abort' });
		expect(stopped.message.parts).toEqual([{ type: 'text', text: 'Part', state: 'done' }]);
	});
});
