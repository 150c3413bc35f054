import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis';
import { startServerPair, type ServerPair } from '../support/server-pair';
import type { SessionClient } from '../support/session';
import { readRest, readUntil, textReader } from '../support/streams';
import { LONG_ANSWER_END, readTextDeltas } from '../support/text-deltas';

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the two-process tests: ${redis.reason}.`);

describe.skipIf(!redis.url)('two server processes sharing Redis', () => {
	let pair: ServerPair;
	let alice: SessionClient;

	beforeAll(async () => {
		pair = await startServerPair(redis.url ?? '', { first: { MOCK_TOKEN_DELAY_MS: '15' } });
		({ alice } = pair);
	});

	afterAll(async () => {
		await pair?.stop();
		if ('stop' in redis) await redis.stop();
	});

	/** Alice's session, sent to the second server. */
	const onSecond = (path: string, init: RequestInit = {}) => pair.onSecond(path, init);

	/** Starts a long answer on the first server and reads until its first words; returns the reader and what it read. */
	async function startLongAnswer(taskId: string) {
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({
				id: taskId,
				messages: [{ id: 'q1', role: 'user', parts: [{ type: 'text', text: 'Write a long answer about rain' }] }]
			})
		});
		expect(response.status).toBe(200);
		const reader = textReader(response.body);
		const seen = await readUntil(reader, '"text-delta"');
		return { reader, seen };
	}

	/** The data lines of a UI message stream, in order (keep-alive comments left out). */
	function dataLines(body: string): string[] {
		return body.split('\n\n').flatMap((block) => (block.startsWith('data: ') ? [block.slice('data: '.length)] : []));
	}

	/** The text an answer's `text-delta` chunks add up to. */
	function textOf(lines: string[]): string {
		return lines
			.filter((line) => line !== '[DONE]')
			.map((line) => JSON.parse(line) as { type: string; delta?: string })
			.flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta ?? ''] : []))
			.join('');
	}

	it('the other process replays a run in progress to its end', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		const original = await startLongAnswer(taskId);

		const task = await onSecond(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
		expect((await task.json()).result.data.running).toBe(true);

		const resumed = await onSecond(`/api/chat/${taskId}/stream`);
		expect(resumed.status).toBe(200);
		expect(resumed.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
		const replay = dataLines(await resumed.text());
		const streamed = dataLines(original.seen + (await readRest(original.reader)));

		// The replay is the whole answer as the first process streamed it, chunk for chunk.
		expect(replay).toEqual(streamed);
		expect(JSON.parse(replay[0])).toMatchObject({ type: 'start' });
		expect(replay.at(-1)).toBe('[DONE]');
		// Once the run has ended (nothing left to replay), the answer stored is the one replayed.
		expect((await onSecond(`/api/chat/${taskId}/stream`)).status).toBe(204);
		const stored = await (await onSecond(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`)).json();
		const answer = stored.result.data.messages[1];
		expect(answer.status).toBe('complete');
		const storedText = answer.parts.flatMap((part: { type: string; text?: string }) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(textOf(replay)).toBe(storedText);
		expect(storedText.startsWith('Here is a long answer about rain. ')).toBe(true);
		expect(storedText.endsWith(LONG_ANSWER_END)).toBe(true);
	});

	it('a stop sent to the other process stops the run where it runs', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		const { reader: original, seen } = await startLongAnswer(taskId);
		// Some deltas in, the stop goes to the other process.
		const received = await readTextDeltas(original, 4);
		const stop = await onSecond(`/api/chat/${taskId}/stop`, { method: 'POST' });
		expect(stop.status).toBe(200);
		expect(await stop.json()).toMatchObject({ stopped: true });

		const rest = await readRest(original);
		expect(rest).toContain('{"type":"abort"}');
		const task = await alice.fetch(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
		const answer = (await task.json()).result.data.messages[1];
		expect(answer.status).toBe('interrupted');
		// The answer kept is what was streamed, cut short.
		const storedText = answer.parts.flatMap((part: { type: string; text?: string }) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(storedText).toBe(textOf(dataLines(seen + received.seen + rest)));
		expect(storedText).toContain(received.text);
		expect(storedText).not.toContain(LONG_ANSWER_END);
	});
});
