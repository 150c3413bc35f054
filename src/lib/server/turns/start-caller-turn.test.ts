import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCallerDb } from '../../../../tests/support/caller-db';
import { insertsMessages, recordStatements } from '../../../../tests/support/record-statements';
import { createAccount } from '../auth/accounts';
import { parseConfig } from '../config';
import { agents, files, messages, tasks } from '../db/schema';
import { AppError } from '../errors';
import { ExtractionQueue } from '../files/extract/extraction-queue';
import { saveUpload } from '../files/file-records';
import { LocalFileStorage } from '../files/local-storage';
import type { ActiveRun } from '../runtime/run-registry';
import { toCallerTurn as teamToCallerTurn } from '../protocols/team-tasks/to-caller-turn';
import type { TeamMessageForm } from '../protocols/team-tasks/request';
import { getUsableAgent } from '../services/agents';
import { appendMessages, listMessages } from '../services/messages';
import { createTask, findTask, removeTask } from '../services/tasks';
import type { CallerTurn } from './caller-turn';
import { runOf, startCallerTurn } from './start-caller-turn';

/** Lets a test make the runtime refuse to start, after the task is stored. */
const control = vi.hoisted(() => ({ failStart: false, failAfterStore: false }));
vi.mock('../runtime/start-turn', async (importOriginal) => {
	const actual = await importOriginal<typeof import('../runtime/start-turn')>();
	return {
		...actual,
		startTurn: (input: Parameters<typeof actual.startTurn>[0]) => {
			if (control.failStart) return Promise.reject(new AppError('upstream', 'The model is away.'));
			if (!control.failAfterStore) return actual.startTurn(input);
			// Fails once the turn's writes are stored, as a run that cannot be published would.
			return actual.startTurn({
				...input,
				onStored: () => {
					input.onStored?.();
					throw new AppError('upstream', 'The run could not be shared.');
				}
			});
		}
	};
});

const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });

const caller = useCallerDb();

afterEach(() => {
	control.failStart = false;
	control.failAfterStore = false;
});

/** Reads a run to its end, so that nothing writes after the test. */
async function drain(run: ActiveRun): Promise<void> {
	for await (const event of run.subscribe()) void event;
}

/** A question to the assistant on a new task. */
function question(overrides: Partial<CallerTurn> = {}): CallerTurn {
	return {
		viewer: caller.viewer,
		agent: { kind: 'named', id: 'assistant', field: 'agent_id' },
		task: { kind: 'new', create: {} },
		ask: { type: 'message', parts: [{ type: 'text', text: 'Hello?' }] },
		...overrides
	};
}

/** The tasks of the caller's. */
async function ownTasks() {
	const viewer = caller.viewer;
	if (viewer.kind !== 'user') throw new Error('The caller is a user.');
	return caller.db.select().from(tasks).where(eq(tasks.userId, viewer.id));
}

/** A seed of `length` alternating messages ending with a question, answered as it stands. */
function seeded(length: number): Partial<CallerTurn> {
	return {
		seed: () => ({
			messages: Array.from({ length }, (_, index) => ({
				role: (length - 1 - index) % 2 === 0 ? ('user' as const) : ('assistant' as const),
				parts: [{ type: 'text' as const, text: `Message ${index}.` }]
			})),
			title: 'Seeded',
			ask: { type: 'respond' }
		})
	};
}

describe('startCallerTurn', () => {
	it('stores a new task and the caller’s history in one transaction', async () => {
		const recorded = recordStatements(caller.db);
		const turn = await startCallerTurn({ db: caller.db, config }, question(seeded(5)));
		await drain(runOf(turn));

		const together = recorded.batches.filter(
			(batch) => batch.some((sql) => /^insert into "tasks"/i.test(sql)) && batch.some(insertsMessages)
		);
		expect(together).toHaveLength(1);
		expect(recorded.single.filter((sql) => /^insert into "tasks"/i.test(sql))).toEqual([]);
		const stored = await listMessages(caller.db, turn.task.id);
		expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
		expect(turn.task.title).toBe('Seeded');
		expect(turn.created).toBe(true);
	});

	it('stores a new task with its first question and the draft answer in one transaction', async () => {
		const recorded = recordStatements(caller.db);
		const turn = await startCallerTurn({ db: caller.db, config }, question({ runOptions: { handOverAllTools: true } }));
		await drain(runOf(turn));

		expect(recorded.single.filter((sql) => /^insert into "tasks"/i.test(sql))).toEqual([]);
		const [first] = recorded.batches;
		expect(/^insert into "tasks"/i.test(first[0])).toBe(true);
		expect(first.filter(insertsMessages)).toHaveLength(2);
		const [stored] = await ownTasks();
		expect(stored).toMatchObject({ id: turn.task.id, title: 'Hello?', runOptions: { handOverAllTools: true } });
		expect(turn.task).toMatchObject({ id: stored.id, title: stored.title, createdAt: stored.createdAt, status: stored.status });
		expect((await listMessages(caller.db, stored.id)).map((message) => message.role)).toEqual(['user', 'assistant']);
	});

	it('refuses a taken or a deleted task’s id as a conflict, storing nothing and keeping the deleted id refused', async () => {
		const agent = await getUsableAgent(caller.db, caller.viewer, 'assistant');
		const taken = await createTask(caller.db, { viewer: caller.viewer, agentId: agent.id, id: 'taken-task-1' });
		const gone = await createTask(caller.db, { viewer: caller.viewer, agentId: agent.id, id: 'deleted-task-1' });
		await removeTask(caller.db, gone.id);
		const onId = (id: string) => question({ task: { kind: 'new', create: { id } } });

		const clash = await startCallerTurn({ db: caller.db, config }, onId(taken.id)).catch((thrown: unknown) => thrown);
		expect(clash).toMatchObject({ code: 'conflict', field: 'id', message: 'That task id is already taken.' });
		for (let attempt = 0; attempt < 2; attempt++) {
			const refused = await startCallerTurn({ db: caller.db, config }, onId(gone.id)).catch((thrown: unknown) => thrown);
			expect(refused).toMatchObject({ code: 'conflict', field: 'id' });
			expect((refused as AppError).message).toContain('belonged to a deleted task');
		}
		expect((await ownTasks()).map((task) => task.id)).toEqual([taken.id]);
		expect(await caller.db.select().from(messages)).toEqual([]);
	});

	it('leaves nothing when storing the task with its history fails in the middle', async () => {
		const client = caller.db.$client;
		const batch = client.batch.bind(client) as (...args: unknown[]) => Promise<unknown>;
		vi.spyOn(client, 'batch').mockImplementation(((statements: unknown[], ...rest: unknown[]) =>
			batch([...statements, 'INSERT INTO no_such_table VALUES (1)'], ...rest)) as typeof client.batch);

		await expect(startCallerTurn({ db: caller.db, config }, question(seeded(3)))).rejects.toThrow();
		vi.restoreAllMocks();
		expect(await ownTasks()).toEqual([]);
		expect(await caller.db.select().from(messages)).toEqual([]);
	});

	it('reports another viewer’s task as not found, on the field the face names', async () => {
		const bob = await createAccount(caller.db, { email: 'bob@example.com', password: 'correct horse battery' });
		const agent = await getUsableAgent(caller.db, caller.viewer, 'assistant');
		const theirs = await createTask(caller.db, { viewer: { kind: 'user', id: bob.id, role: bob.role }, agentId: agent.id });
		await appendMessages(caller.db, theirs.id, [{ role: 'user', parts: [{ type: 'text', text: 'Mine.' }] }]);

		const error = await startCallerTurn(
			{ db: caller.db, config },
			question({ task: { kind: 'existing', id: theirs.id, field: 'session_id' } })
		).catch((thrown: unknown) => thrown);

		expect(error).toBeInstanceOf(AppError);
		expect((error as AppError).code).toBe('not_found');
		expect((error as AppError).field).toBe('session_id');
		expect(await listMessages(caller.db, theirs.id)).toHaveLength(1);
	});

	it('refuses a context that fails the agent’s schema with 422, storing nothing', async () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
		await caller.db.update(agents).set({ contextSchema: schema }).where(eq(agents.slug, 'assistant'));

		const error = await startCallerTurn(
			{ db: caller.db, config },
			question({ task: { kind: 'new', create: { context: { town: 'Lyon' } } } })
		).catch((thrown: unknown) => thrown);

		expect(error).toBeInstanceOf(AppError);
		expect((error as AppError).status).toBe(422);
		expect((error as AppError).field).toBe('context.city');
		expect(await ownTasks()).toEqual([]);
	});

	it('removes a task it made when the run cannot start, and keeps an existing one', async () => {
		control.failStart = true;
		const newTurn = question({ task: { kind: 'existing-or-new', id: 'chosen-task-1', field: 'id', create: {} } });
		await expect(startCallerTurn({ db: caller.db, config }, newTurn)).rejects.toThrow('The model is away.');
		expect(await findTask(caller.db, 'chosen-task-1')).toBeUndefined();

		const agent = await getUsableAgent(caller.db, caller.viewer, 'assistant');
		const existing = await createTask(caller.db, { viewer: caller.viewer, agentId: agent.id });
		const again = question({ task: { kind: 'existing', id: existing.id, field: 'id' } });
		await expect(startCallerTurn({ db: caller.db, config }, again)).rejects.toThrow('The model is away.');
		expect(await findTask(caller.db, existing.id)).toBeDefined();
	});

	it('removes a new task stored with its question when the run fails after that', async () => {
		control.failAfterStore = true;
		const turn = question({ task: { kind: 'new', create: { id: 'stored-then-failed' } } });
		await expect(startCallerTurn({ db: caller.db, config }, turn)).rejects.toThrow('The run could not be shared.');
		expect(await findTask(caller.db, 'stored-then-failed')).toBeUndefined();
		expect(await caller.db.select().from(messages)).toEqual([]);
	});

	it('gives the task the caller’s files its message names', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'parley-turn-files-'));
		try {
			const storage = new LocalFileStorage(folder);
			const extraction = new ExtractionQueue({ extract: async () => undefined });
			const file = await saveUpload(
				caller.db,
				{ viewer: caller.viewer, file: new File(['Tide tables.'], 'notes.txt', { type: 'text/plain' }) },
				{ storage, extraction }
			);
			const turn = await startCallerTurn(
				{ db: caller.db, config },
				question({
					ask: {
						type: 'message',
						parts: [
							{ type: 'uploaded-file', fileId: file.id, field: 'files.0' },
							{ type: 'text', text: 'What is in it?' }
						]
					},
					files: { field: 'files' }
				})
			);
			await drain(runOf(turn));
			await extraction.idle();

			const [row] = await caller.db.select().from(files).where(eq(files.id, file.id));
			expect(row.taskId).toBe(turn.task.id);
			const [questionMessage] = await listMessages(caller.db, turn.task.id);
			expect(questionMessage.parts[0]).toMatchObject({ type: 'file', url: `/api/files/${file.id}` });
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('cleans up after the team face too: a task it made goes when the run cannot start', async () => {
		control.failStart = true;
		const form = {
			id_team_agent: 'assistant',
			id_team: 'team-cleanup',
			text: 'Hello, team.',
			images: [],
			videos: [],
			audios: [],
			documents: []
		} as unknown as TeamMessageForm;

		await expect(startCallerTurn({ db: caller.db, config }, teamToCallerTurn(form, caller.viewer))).rejects.toThrow('The model is away.');
		expect(
			await caller.db
				.select()
				.from(tasks)
				.where(and(eq(tasks.teamId, 'team-cleanup')))
		).toEqual([]);
		expect(await ownTasks()).toEqual([]);
	});
});
