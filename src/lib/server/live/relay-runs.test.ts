import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announceListening } from '../../../../tests/support/live-feed';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { parseConfig } from '../config';
import { ActiveRun, RunRegistry } from '../runtime/run-registry';
import { startTurn } from '../runtime/start-turn';
import type { TurnInput } from '../runtime/turn-input';
import { getUsableAgent, type AgentWithTools } from '../services/agents';
import { createTask } from '../services/tasks';
import type { Task } from '../db/schema';
import { MemoryFeedStore } from './memory-feed-store';
import { relayRuns } from './relay-runs';
import { subscribeFeed, type FeedStore } from './task-feed';
import type { FeedEntry, TaskEvent } from './task-event';

const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });

let temp: TempDb;
let registry: RunRegistry;
let memory: MemoryFeedStore;
let relay: ReturnType<typeof relayRuns>;
let agent: AgentWithTools;
let task: Task;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const user = await createAccount(temp.db, { email: 'viewer@example.com', password: 'correct horse battery' });
	const viewer = { kind: 'user' as const, id: user.id, role: user.role };
	agent = await getUsableAgent(temp.db, viewer, 'assistant');
	task = await createTask(temp.db, { viewer, agentId: agent.id });
	registry = new RunRegistry();
	memory = new MemoryFeedStore();
	relay = relayRuns(registry, temp.db, memory);
});

afterEach(() => {
	relay.stop();
	temp.cleanup();
});

/** Follows the task's feed from now until the end of one run; returns what it told. */
async function watchOneRun(store: FeedStore, start: () => Promise<ActiveRun>): Promise<TaskEvent[]> {
	const { store: announcing, listening } = announceListening(store);
	const entries = subscribeFeed(announcing, task.id, null);
	const told: Promise<FeedEntry[]> = (async () => {
		const read: FeedEntry[] = [];
		for await (const entry of entries) {
			read.push(entry);
			if (entry.event.type === 'run-end') break;
		}
		return read;
	})();
	await listening();
	await start();
	const read = await told;
	// Ids grow by one with each event.
	const seqs = read.map((entry) => Number(entry.id.split('-')[1]));
	expect(seqs).toStrictEqual(seqs.map((_, index) => seqs[0] + index));
	return read.map((entry) => entry.event);
}

const turn = (request: TurnInput['request']) => () => startTurn({ db: temp.db, config, task, agent, request, registry });

const textOf = (message: UIMessage) => message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

describe('relayRuns', () => {
	it('tells the stored question and draft answer, the answer as UI message chunks, then the stored answer and the end', async () => {
		const events = await watchOneRun(memory, turn({ type: 'message', parts: [{ type: 'text', text: 'Hello there' }] }));

		const [first, ...rest] = events;
		expect(first.type).toBe('messages');
		if (first.type !== 'messages') return;
		const [question, draft] = first.messages;
		expect(first.messages).toHaveLength(2);
		expect(question).toMatchObject({ role: 'user', status: 'complete', parts: [{ type: 'text', text: 'Hello there' }] });
		expect(draft).toMatchObject({ role: 'assistant', status: 'streaming', parts: [], model: agent.model });
		expect(first.order).toStrictEqual([question.id, draft.id]);

		const chunks = rest.flatMap((event) => (event.type === 'chunk' ? [event] : []));
		expect(chunks.every((event) => event.messageId === draft.id)).toBe(true);
		expect(chunks[0].chunk).toStrictEqual({ type: 'start', messageId: draft.id });
		expect(chunks.at(-1)?.chunk).toStrictEqual({ type: 'finish', finishReason: 'stop' });

		// The AI SDK builds from the chunks the answer that was stored.
		let built: UIMessage | undefined;
		const stream = new ReadableStream<UIMessageChunk>({
			start(controller) {
				for (const event of chunks) controller.enqueue(event.chunk);
				controller.close();
			}
		});
		for await (const message of readUIMessageStream({ stream })) built = message;
		expect(built?.id).toBe(draft.id);

		const [stored, end] = rest.slice(chunks.length);
		expect(rest.slice(0, chunks.length)).toStrictEqual(chunks);
		expect(stored.type).toBe('messages');
		if (stored.type !== 'messages') return;
		expect(stored.order).toStrictEqual(first.order);
		expect(stored.messages).toHaveLength(1);
		expect(stored.messages[0]).toMatchObject({ id: draft.id, status: 'complete' });
		expect(textOf(stored.messages[0])).toContain('You said: "Hello there"');
		expect(textOf(built!)).toBe(textOf(stored.messages[0]));
		expect(end).toStrictEqual({ type: 'run-end', messageId: draft.id, status: 'complete' });
	});

	it('tells the new order when a run replaces messages (a regenerated answer)', async () => {
		const asked = await watchOneRun(memory, turn({ type: 'message', parts: [{ type: 'text', text: 'Once' }] }));
		const [questionId, oldAnswerId] = asked[0].type === 'messages' ? asked[0].order : [];

		const again = await watchOneRun(memory, turn({ type: 'regenerate' }));
		expect(again[0].type).toBe('messages');
		if (again[0].type !== 'messages') return;
		const newAnswerId = again[0].order[1];
		expect(again[0].order).toStrictEqual([questionId, newAnswerId]);
		expect(newAnswerId).not.toBe(oldAnswerId);
		expect(again[0].messages.map((message) => message.id)).toStrictEqual([questionId, newAnswerId]);
	});

	it('tells nothing of a run that ends before it starts (its writes failed)', async () => {
		const run = new ActiveRun(task.id, 'never-stored');
		registry.add(run);
		run.end();
		await relay.settled();
		expect(await memory.cursor(task.id)).toMatch(/-0$/);
	});

	it('reads and keeps nothing of a run nobody follows', async () => {
		expect(memory.follows(task.id)).toBe(false);
		const run = await turn({ type: 'message', parts: [{ type: 'text', text: 'Unwatched' }] })();
		await run.finished;
		await relay.settled();
		expect(memory.follows(task.id)).toBe(false);
		// A viewer who comes now starts from the stored messages, with an empty feed.
		expect(await memory.cursor(task.id)).toMatch(/-0$/);
		expect(memory.follows(task.id)).toBe(true);
	});

	it('stops relaying new runs once stopped', async () => {
		relay.stop();
		const run = await turn({ type: 'message', parts: [{ type: 'text', text: 'Unseen' }] })();
		await run.finished;
		expect(await memory.cursor(task.id)).toMatch(/-0$/);
	});
});
