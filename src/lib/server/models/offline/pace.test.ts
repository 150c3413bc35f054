import { describe, expect, it, vi } from 'vitest';
import type { LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { OfflineModel } from './offline-model';
import { holdIndex, paceOf, SLOW_TOKEN_DELAY_MS } from './pace';

function userPrompt(text: string): LanguageModelV3Prompt {
	return [{ role: 'user', content: [{ type: 'text', text }] }];
}

/** Reads parts until the text deltas read so far make `text`'s first `length` characters. */
async function readText(reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>, until: (text: string) => boolean) {
	let text = '';
	while (!until(text)) {
		const { value, done } = await reader.read();
		if (done) throw new Error(`The stream ended after: ${text}`);
		if (value.type === 'text-delta') text += value.delta;
	}
	return text;
}

/** Every text delta of a stream read to its end. */
async function allText(stream: ReadableStream<LanguageModelV3StreamPart>): Promise<string> {
	let text = '';
	for await (const part of stream) if (part.type === 'text-delta') text += part.delta;
	return text;
}

describe('paceOf', () => {
	it('reads "slowly" and "until I interrupt you" in any case, and nothing else', () => {
		expect(paceOf('Please write a long answer about rivers')).toEqual({ minDelayMs: 0, holdUntilStopped: false });
		expect(paceOf('Answer SLOWLY please')).toEqual({ minDelayMs: SLOW_TOKEN_DELAY_MS, holdUntilStopped: false });
		expect(paceOf('a long answer, until I interrupt you')).toEqual({ minDelayMs: 0, holdUntilStopped: true });
		expect(paceOf('Until i  INTERRUPT you')).toMatchObject({ holdUntilStopped: true });
		expect(paceOf('slowlyish, until I interrupted you')).toEqual({ minDelayMs: 0, holdUntilStopped: false });
	});
});

describe('holdIndex', () => {
	const delta = (text: string): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 't', delta: text });

	it('is the first word of the last paragraph, else the last word, else undefined', () => {
		const start: LanguageModelV3StreamPart = { type: 'text-start', id: 't' };
		expect(holdIndex([start, delta('One. '), delta('Two.\n\n'), delta('Three '), delta('four.')])).toBe(3);
		expect(holdIndex([start, delta('One '), delta('two.')])).toBe(2);
		expect(holdIndex([start, delta('One.\n\n')])).toBe(1);
		expect(holdIndex([start])).toBeUndefined();
	});
});

describe('an answer asked for "until I interrupt you"', () => {
	it('streams up to its last paragraph and waits there until aborted', async () => {
		const controller = new AbortController();
		const { stream } = await new OfflineModel({ tokenDelayMs: 0 }).doStream({
			prompt: userPrompt('Until I interrupt you, please write a long answer about the sea.'),
			abortSignal: controller.signal
		});
		const reader = stream.getReader();
		const text = await readText(reader, (text) => text.split('\n\n').length === 4);
		expect(text.startsWith('Here is a long answer about the sea.')).toBe(true);
		expect(text.endsWith('\n\n')).toBe(true);

		// Nothing more comes (the read waits) until the stop.
		const next = reader.read();
		const settled = vi.fn();
		next.then(settled, settled);
		await new Promise((wake) => setImmediate(wake));
		expect(settled).not.toHaveBeenCalled();
		controller.abort();
		await expect(next).rejects.toMatchObject({ name: 'AbortError' });
	});

	it('stops waiting when the reader cancels the stream', async () => {
		const { stream } = await new OfflineModel({ tokenDelayMs: 0 }).doStream({
			prompt: userPrompt('hello until I interrupt you')
		});
		const reader = stream.getReader();
		await readText(reader, (text) => text.startsWith('You said:'));
		await reader.cancel();
		await expect(reader.closed).resolves.toBeUndefined();
	});

	it('writes the same words as without the phrase', async () => {
		const model = new OfflineModel({ tokenDelayMs: 0 });
		const held = await model.doGenerate({ prompt: userPrompt('Until I interrupt you: a long answer about tea') });
		const plain = await model.doGenerate({ prompt: userPrompt('A long answer about tea') });
		expect(held.content.find((part) => part.type === 'text')).toEqual(plain.content.find((part) => part.type === 'text'));
	});
});

describe('an answer asked for "slowly"', () => {
	it('waits at least the slow pace between words, and ends on its own', async () => {
		vi.useFakeTimers();
		try {
			const { stream } = await new OfflineModel({ tokenDelayMs: 1 }).doStream({ prompt: userPrompt('hello, slowly') });
			const reader = stream.getReader();
			// The reasoning's first word comes at once; the second only after the slow pause.
			let first = await reader.read();
			while (!first.done && first.value.type !== 'reasoning-delta') first = await reader.read();
			const second = reader.read();
			const settled = vi.fn();
			second.then(settled, settled);
			await vi.advanceTimersByTimeAsync(SLOW_TOKEN_DELAY_MS - 1);
			expect(settled).not.toHaveBeenCalled();
			await vi.advanceTimersByTimeAsync(1);
			expect(settled).toHaveBeenCalled();
			expect((await second).value).toMatchObject({ type: 'reasoning-delta' });
			reader.releaseLock();
			const rest = allText(stream);
			await vi.runAllTimersAsync();
			expect(await rest).toContain('You said: "hello, slowly"');
		} finally {
			vi.useRealTimers();
		}
	});
});
