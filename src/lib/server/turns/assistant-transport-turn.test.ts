import { describe, expect, it } from 'vitest';
import { useCallerDb } from '../../../../tests/support/caller-db';
import { insertsMessages, recordStatements } from '../../../../tests/support/record-statements';
import { parseConfig, type Config } from '../config';
import type { Db } from '../db';
import { AppError } from '../errors';
import { checkHistory } from '../protocols/history-limits';
import { historyOf, type AssistantRequest } from '../protocols/assistant-transport/request';
import { toCallerTurn } from '../protocols/assistant-transport/to-caller-turn';
import { toThreadAnswer } from '../protocols/assistant-transport/to-thread-answer';
import { appendMessages, listMessages } from '../services/messages';
import { createTask } from '../services/tasks';
import { getUsableAgent } from '../services/agents';
import type { Viewer } from '../services/viewer';
import { startCallerTurn } from './start-caller-turn';

/** One `POST /assistant` as its route starts it. */
async function startThreadTurn(input: { db: Db; config: Config; viewer: Viewer; body: AssistantRequest; agent?: string }) {
	checkHistory(historyOf(input.body), input.config, 'state.messages');
	const started = await startCallerTurn(input, toCallerTurn(input.body, input.viewer, input.agent));
	return toThreadAnswer(started, await listMessages(input.db, started.task.id));
}

const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });

const caller = useCallerDb();

/** `length` alternating state messages ending with the assistant's, with the client's ids. */
function stateMessages(length: number) {
	return Array.from({ length }, (_, index) => ({
		id: `m${index}`,
		role: (length - 1 - index) % 2 === 0 ? ('assistant' as const) : ('user' as const),
		content: [{ type: 'text', text: `Message ${index}.` }]
	}));
}

/** A request for a new thread: its state, then a new question. */
function newThreadRequest(messages: ReturnType<typeof stateMessages>): AssistantRequest {
	return {
		commands: [{ type: 'add-message', message: { role: 'user', parts: [{ type: 'text', text: 'And now?' }] }, parentId: null }],
		state: { messages },
		threadId: '__LOCALID_test'
	} as AssistantRequest;
}

describe('startThreadTurn, new thread', () => {
	it('looks up the client’s ids in a few queries and stores the history in one statement', async () => {
		// One id is taken already, by another task: that message gets a new id.
		const agent = await getUsableAgent(caller.db, caller.viewer, 'assistant');
		const other = await createTask(caller.db, { viewer: caller.viewer, agentId: agent.id });
		await appendMessages(caller.db, other.id, [{ role: 'user', parts: [{ type: 'text', text: 'x' }], id: 'm7' }]);

		const recorded = recordStatements(caller.db);
		const turn = await startThreadTurn({
			db: caller.db,
			config,
			viewer: caller.viewer,
			body: newThreadRequest(stateMessages(500)),
			agent: 'assistant'
		});
		const reader = turn.events.getReader();
		while (!(await reader.read()).done) {
			// to the end of the answer
		}

		const idLookups = recorded.single.filter((sql) => /^select "id" from "messages" where "messages"."id" in/i.test(sql));
		expect(idLookups.length).toBeGreaterThan(0);
		expect(idLookups.length).toBeLessThanOrEqual(3);
		expect(recorded.single.filter(insertsMessages)).toEqual([]);
		// The history in one statement; the turn adds its own (the answer, a new question).
		const inserts = recorded.batches.flat().filter(insertsMessages);
		expect(inserts.some((sql) => sql.includes('json_each'))).toBe(true);
		expect(inserts.length).toBeLessThanOrEqual(3);

		const stored = await listMessages(caller.db, turn.taskId);
		// 500 messages, the question and the answer.
		expect(stored).toHaveLength(502);
		expect(stored.map((message) => message.position)).toEqual(stored.map((_, index) => index));
		expect(stored[0].id).toBe('m0');
		expect(stored[7].id).not.toBe('m7');
		expect(stored[8].id).toBe('m8');
	});

	it('refuses a history over the limit, the new message counted, before reading or storing anything', async () => {
		const recorded = recordStatements(caller.db);
		const error = await startThreadTurn({
			db: caller.db,
			config: { ...config, HISTORY_MESSAGE_LIMIT: 10 },
			viewer: caller.viewer,
			body: newThreadRequest(stateMessages(10)),
			agent: 'assistant'
		}).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(AppError);
		expect((error as AppError).code).toBe('payload_too_large');
		expect((error as AppError).field).toBe('state.messages');
		expect(recorded.single).toEqual([]);
		expect(recorded.batches).toEqual([]);
	});
});
