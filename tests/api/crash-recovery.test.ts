import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';
import { startServer } from '../support/server';
import { signUp } from '../support/session';
import { textReader } from '../support/streams';

/** Characters of the answer to see stream before the kill is timed. */
const STREAMED_BEFORE = 800;
/** What a crash may lose at most: text streamed this long before the kill must be stored. */
const WINDOW_MS = 1000;

describe('a crash in the middle of an answer', () => {
	it('keeps what had streamed up to a second before a SIGKILL, and marks the answer interrupted at the next start', async () => {
		// About 250 words at 25 ms each: the kill comes 1 s after 800 characters, well before the end.
		// Saving every 500 ms leaves half the window for a busy machine's late timers.
		const first = await startServer({ MOCK_TOKEN_DELAY_MS: '25', STREAM_SAVE_INTERVAL_MS: '500' });
		const url = first.databaseUrl;
		try {
			const alice = await signUp(first.baseURL, 'alice@example.com');
			const response = await alice.fetch('/api/chat', {
				method: 'POST',
				body: JSON.stringify({
					id: 'task_crash',
					messages: [{ role: 'user', parts: [{ type: 'text', text: 'Write a long answer about snow and ice' }] }]
				})
			});
			expect(response.status).toBe(200);
			const reader = textReader(response.body);

			// The text as it arrives, and when: the kill is timed from these chunks, not by sleeping.
			let streamed = '';
			let buffer = '';
			let windowStart: { at: number; text: string } | undefined;
			for (;;) {
				const { value, done } = await reader.read();
				if (done) throw new Error(`The answer ended before the kill (${streamed.length} characters): slow the model`);
				const at = performance.now();
				buffer += value;
				const blocks = buffer.split('\n\n');
				buffer = blocks.pop() ?? '';
				for (const block of blocks) {
					const data = block.startsWith('data: ') ? block.slice('data: '.length) : '';
					if (!data.startsWith('{')) continue;
					const chunk = JSON.parse(data) as { type: string; delta?: string };
					if (chunk.type === 'text-delta') streamed += chunk.delta;
					if (chunk.type === 'finish') throw new Error('The answer finished before the kill: slow the model');
				}
				if (!windowStart && streamed.length >= STREAMED_BEFORE) windowStart = { at, text: streamed };
				if (windowStart && at - windowStart.at >= WINDOW_MS) break;
			}
			// Everything in `windowStart.text` had arrived at least a second before this.
			await first.kill();
			await reader.cancel().catch(() => {});
			const beforeKill = windowStart.text;

			// The next start finds the answer still `streaming` and marks it interrupted.
			const second = await startServer({ DATABASE_URL: url });
			await second.stop();

			const db = await openDatabase({ url });
			try {
				const answers = await db.query.messages.findMany({ where: (messages, { eq }) => eq(messages.role, 'assistant') });
				expect(answers).toHaveLength(1);
				const [answer] = answers;
				expect(answer.status).toBe('interrupted');
				expect(answer.error).toBe('The server stopped before this answer was finished.');
				const stored = answer.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
				expect(stored.length).toBeGreaterThanOrEqual(beforeKill.length);
				expect(stored.startsWith(beforeKill)).toBe(true);
				// The same text as the stream (its last words may have been stored but not yet read here).
				expect(streamed.startsWith(stored) || stored.startsWith(streamed)).toBe(true);
				// Text cut off mid-stream reads as finished, as in an answer someone stopped.
				expect(answer.parts.filter((part) => part.type === 'text' || part.type === 'reasoning')).toStrictEqual([
					expect.objectContaining({ type: 'reasoning', state: 'done' }),
					expect.objectContaining({ type: 'text', state: 'done' })
				]);
			} finally {
				db.$client.close();
			}
		} finally {
			first.cleanup();
		}
	}, 60_000);
});
