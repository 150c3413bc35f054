import { describe, expect, it } from 'vitest';
import { useCallerDb } from '../../../../tests/support/caller-db';
import { insertsMessages, recordStatements } from '../../../../tests/support/record-statements';
import { parseConfig, type Config } from '../config';
import type { Db } from '../db';
import { AppError } from '../errors';
import { checkHistory } from '../protocols/history-limits';
import type { ChatCompletionRequest } from '../protocols/openai/request';
import { toCallerTurn } from '../protocols/openai/to-caller-turn';
import { listMessages } from '../services/messages';
import type { Viewer } from '../services/viewer';
import { runOf, startCallerTurn } from './start-caller-turn';

/** A Chat Completions request as its route starts it. */
async function startCompletion(input: { db: Db; config: Config; viewer: Viewer; body: ChatCompletionRequest }) {
	checkHistory(input.body.messages, input.config, 'messages');
	const turn = await startCallerTurn(input, toCallerTurn(input.body, input.viewer));
	return { task: turn.task, subscribe: () => runOf(turn).subscribe() };
}

const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });

const caller = useCallerDb();

/** `length` alternating messages ending with a user question. */
function history(length: number): ChatCompletionRequest['messages'] {
	return Array.from({ length }, (_, index) => ({
		role: (length - 1 - index) % 2 === 0 ? ('user' as const) : ('assistant' as const),
		content: `Message ${index}.`
	}));
}

describe('startCompletion', () => {
	it('stores a long history in one statement, then answers it', async () => {
		const recorded = recordStatements(caller.db);
		const completion = await startCompletion({
			db: caller.db,
			config,
			viewer: caller.viewer,
			body: { model: 'assistant', messages: history(500) } as ChatCompletionRequest
		});
		for await (const event of completion.subscribe()) void event;

		expect(recorded.single.filter(insertsMessages)).toEqual([]);
		// The history in one statement; the turn adds its own (the answer, a new question).
		const inserts = recorded.batches.flat().filter(insertsMessages);
		expect(inserts.some((sql) => sql.includes('json_each'))).toBe(true);
		expect(inserts.length).toBeLessThanOrEqual(3);
		const stored = await listMessages(caller.db, completion.task.id);
		expect(stored).toHaveLength(501);
		expect(stored.map((message) => message.position)).toEqual(stored.map((_, index) => index));
		expect(stored.at(-1)?.role).toBe('assistant');
	});

	it('refuses a history over the limit before reading or storing anything', async () => {
		const recorded = recordStatements(caller.db);
		const error = await startCompletion({
			db: caller.db,
			config: { ...config, HISTORY_MESSAGE_LIMIT: 10 },
			viewer: caller.viewer,
			body: { model: 'assistant', messages: history(11) } as ChatCompletionRequest
		}).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(AppError);
		expect((error as AppError).code).toBe('payload_too_large');
		expect(recorded.single).toEqual([]);
		expect(recorded.batches).toEqual([]);
	});
});
