import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis';
import type { TestServer } from '../support/server';
import { startServerPair, type ServerPair } from '../support/server-pair';
import type { SessionClient } from '../support/session';
import { readRest, readUntil, textReader } from '../support/streams';

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the two-process tests: ${redis.reason}.`);

describe.skipIf(!redis.url)('two server processes sharing Redis', () => {
	let pair: ServerPair;
	let first: TestServer;
	let second: TestServer;
	let alice: SessionClient;

	beforeAll(async () => {
		pair = await startServerPair(redis.url ?? '', { first: { MOCK_TOKEN_DELAY_MS: '15' } });
		({ first, second, alice } = pair);
	});

	afterAll(async () => {
		await pair?.stop();
		if ('stop' in redis) await redis.stop();
	});

	/** Alice's session, sent to the second server. */
	const onSecond = (path: string, init: RequestInit = {}) => pair.onSecond(path, init);

	/** Starts a long answer on the first server and reads until its first words. */
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
		await readUntil(reader, '"text-delta"');
		return reader;
	}

	it('the other process replays a run in progress to its end', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		const original = await startLongAnswer(taskId);

		const task = await onSecond(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
		expect((await task.json()).result.data.running).toBe(true);

		const resumed = await onSecond(`/api/chat/${taskId}/stream`);
		expect(resumed.status).toBe(200);
		expect(resumed.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
		const replay = await resumed.text();
		expect(replay.startsWith('data: {"type":"start"')).toBe(true);
		expect(replay).toContain('Here ');
		expect(replay).toContain('"type":"finish"');
		expect(replay.trimEnd().endsWith('data: [DONE]')).toBe(true);
		await readRest(original);

		expect((await onSecond(`/api/chat/${taskId}/stream`)).status).toBe(204);
	});

	it('a stop sent to the other process stops the run where it runs', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		const original = await startLongAnswer(taskId);
		const stop = await onSecond(`/api/chat/${taskId}/stop`, { method: 'POST' });
		expect(stop.status).toBe(200);
		expect(await stop.json()).toMatchObject({ stopped: true });

		const rest = await readRest(original);
		expect(rest).toContain('{"type":"abort"}');
		const task = await alice.fetch(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
		const answer = (await task.json()).result.data.messages[1];
		expect(answer.status).toBe('interrupted');
	});
});
