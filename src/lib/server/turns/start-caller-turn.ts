import type { FileUIPart, UIMessage } from 'ai';
import type { Config } from '../config';
import type { Db } from '../db';
import { AppError } from '../errors';
import { assignFilesToTask, getOwnFile, saveUpload } from '../files/file-records';
import { fileIdOfUrl } from '../files/file-urls';
import { toFilePart } from '../files/model-parts';
import { assertFileCount, assertUploadableByType } from '../files/upload-checks';
import type { ToolPart } from '../runtime/message-parts';
import { runRegistry, type ActiveRun } from '../runtime/run-registry';
import { checkTurn, checkTurnSettings } from '../runtime/check-turn';
import { startTurn } from '../runtime/start-turn';
import type { CallerTool } from '../runtime/turn-input';
import { serverToolsOf, turnTools } from '../runtime/turn-tools';
import { getDefaultAgent, getUsableAgent, type AgentWithTools } from '../services/agents';
import { validateTaskContext } from '../services/context-schema';
import {
	appendMessages,
	existingMessageIds,
	listMessages,
	versionOnBranch,
	type HistoryMessageInput,
	type StoredMessage
} from '../services/messages';
import {
	createTask,
	findTask,
	getOwnTask,
	prepareNewTask,
	questionTitle,
	setTaskRunOptions,
	undoNewTaskOnFailure,
	type NewTaskInput,
	type Task
} from '../services/tasks';
import { findTaskWaitingFor } from '../services/task-waiting-for';
import { adoptIntoTeam, ensureTeam } from '../services/teams';
import type { Viewer } from '../services/viewer';
import { answerCallerTools } from './answer-caller-tools';
import type { TaskRunOptions } from '../db/schema';
import type { AgentRef, AskContext, CallerPart, CallerSeed, CallerTurn, NewTaskSpec, TaskRef } from './caller-turn';
export type { TurnDeps } from './deps';
import type { TurnDeps } from './deps';

/** A turn under way (or, for tool answers while other calls still wait, only stored). */
export type CallerTurnResult = {
	task: Task;
	agent: AgentWithTools;
	/** Whether this request made the task. */
	created: boolean;
	/** The parts the answer has so far: tool answers continue an answer that has some. */
	parts: UIMessage['parts'];
} & (
	| { kind: 'run'; run: ActiveRun }
	/** Tool answers were stored; other calls of the answer `messageId` still wait. */
	| { kind: 'waiting'; messageId: string; pending: ToolPart[] }
);

/** The run of a turn that asks for no tool answers (such a turn always starts one). */
export function runOf(result: CallerTurnResult): ActiveRun {
	if (result.kind !== 'run') throw new Error('The turn did not start a run.');
	return result.run;
}

/**
 * Starts the turn a caller asks for, for every face: settles the agent and the task (the
 * viewer's own, or a new one whose context is checked against the agent's schema), checks the
 * new message's files and what the turn will call, then stores what is new — uploads, the task
 * with the caller's history in one transaction — and starts the run, or answers the tool calls
 * that wait. A task made by this request is removed again when its run cannot start, so that a
 * refused request leaves nothing behind; an existing task is kept. Files of the caller's named in
 * the message then belong to the task.
 */
export async function startCallerTurn(deps: TurnDeps, turn: CallerTurn): Promise<CallerTurnResult> {
	const { db, config } = deps;
	const { viewer } = turn;
	const { agent, existing, callerTools, serverTools } = await settleTarget(db, config, turn);
	const spec = newTaskSpec(turn.task);
	if (existing && turn.busy && runRegistry.get(existing.id)) {
		throw new AppError(turn.busy.code, turn.busy.message, { field: turn.busy.field });
	}
	const stored = existing ? await listMessages(db, existing.id) : null;
	const seed = turn.seed ? turn.seed({ agent, stored, serverTools: serverTools() }) : null;
	const ask = seed?.ask ?? (typeof turn.ask === 'function' ? await turn.ask(askContext(db, existing, stored)) : turn.ask);

	if (!existing) validateTaskContext(agent.contextSchema, spec.context);
	const files = ask.type === 'message' ? await checkFiles(db, viewer, ask.parts, turn.files) : null;
	const handOverAllTools = turn.runOptions?.handOverAllTools;
	// Tool answers are checked by the runtime, in its own order; the caller's settings before anything is stored.
	const settings = turn.settings;
	const checked =
		ask.type !== 'answers' ? checkTurn({ config, agent, task: existing ?? undefined, callerTools, handOverAllTools, settings }) : null;
	if (ask.type === 'answers' && settings)
		checkTurnSettings(settings, turnTools({ config, agent, task: existing ?? undefined, callerTools, handOverAllTools }).tools);

	// Everything is checked: what is new is stored.
	const uploadedIds = [...(files?.ownedIds ?? [])];
	const parts: UIMessage['parts'] = [];
	for (const part of files?.parts ?? []) {
		if (part.type !== 'new-upload') {
			parts.push(part);
			continue;
		}
		const record = await saveUpload(db, { viewer, taskId: existing?.id, file: part.file, field: part.field });
		if (!existing) uploadedIds.push(record.id);
		parts.push(await toFilePart(db, record));
	}
	const history = seed ? await seedRows(db, seed) : [];
	const created = !existing;
	const newTask: NewTaskSpec = {
		...spec,
		title: seed?.title ?? spec.title ?? (ask.type === 'message' ? questionTitle(parts) : undefined),
		teamId: turn.teamId ?? spec.teamId
	};
	// A new task whose first message is a question is stored with it, in one transaction; a code
	// agent's context is made first, and may need the task stored.
	const deferred =
		created && history.length === 0 && ask.type === 'message' && !checked?.codeAgent
			? await prepareTask(db, viewer, agent, { ...newTask, runOptions: turn.runOptions })
			: null;
	let task = existing
		? await joinTeam(db, existing, turn.teamId)
		: (deferred?.task ?? (await makeTask(db, viewer, agent, newTask, history)));
	/** Whether this request has stored a new task, to remove when the request fails. */
	let taskStored = created && !deferred;

	return undoNewTaskOnFailure(
		db,
		() => (taskStored ? task.id : null),
		async (): Promise<CallerTurnResult> => {
			// The history of an existing task grows in one transaction too.
			if (existing && history.length > 0) await appendMessages(db, task.id, history);
			if (turn.runOptions && !deferred) task = await setTaskRunOptions(db, task, turn.runOptions);
			const base = { task, agent, created };
			if (ask.type === 'answers') {
				const answered = await answerCallerTools({
					db,
					config,
					task,
					agent,
					answers: ask.answers,
					callerTools,
					settings: turn.settings
				});
				return answered.run
					? { ...base, kind: 'run', run: answered.run, parts: answered.parts }
					: { ...base, kind: 'waiting', messageId: answered.messageId, pending: answered.pending, parts: answered.parts };
			}
			const run = await startTurn({
				db,
				config,
				task,
				agent,
				request: ask.type === 'message' ? { ...ask, parts } : ask,
				callerTools,
				handOverAllTools,
				settings: turn.settings,
				newTask: deferred?.insert,
				onStored: () => (taskStored = created),
				// A task made by this request without history has no messages yet: nothing to read.
				storedMessages: created && history.length === 0 ? [] : undefined
			});
			await assignFilesToTask(db, viewer, uploadedIds, task.id);
			return { ...base, kind: 'run', run, parts: [] };
		}
	);
}

/** What a turn is settled on: its agent, its existing task (null for a new one), the caller's tools. */
interface Target {
	agent: AgentWithTools;
	existing: Task | null;
	callerTools: CallerTool[];
	/** The tools the turn runs on the server (worked out once, on first use). */
	serverTools: () => Set<string>;
}

/** The agent, the existing task and the caller's tools of a turn, in the order the face looks them up. */
async function settleTarget(db: Db, config: Config, turn: CallerTurn): Promise<Target> {
	const { viewer, task: taskRef, agent: agentRef } = turn;
	const withTools = (agent: AgentWithTools) => {
		const callerTools = typeof turn.callerTools === 'function' ? turn.callerTools(agent) : (turn.callerTools ?? []);
		// Worked out once, when first needed: building the turn's tools is not free.
		let names: Set<string> | undefined;
		const serverTools = () => (names ??= serverToolsOf(turnTools({ config, agent, callerTools }).tools));
		return { agent, callerTools, serverTools };
	};
	if (agentRef.kind === 'of-task') {
		const existing = await existingTask(db, config, viewer, taskRef, null);
		const agent = existing
			? await getUsableAgent(db, viewer, existing.agentId, agentRef.field)
			: await resolveAgent(db, config, viewer, agentRef.otherwise);
		return { ...withTools(agent), existing };
	}
	const tools = withTools(await resolveAgent(db, config, viewer, agentRef));
	turn.checks?.({ agent: tools.agent, serverTools: tools.serverTools() });
	const existing = await existingTask(db, config, viewer, taskRef, tools);
	if (existing && taskRef.kind === 'existing' && existing.agentId !== tools.agent.id) {
		const other = taskRef.otherAgent ?? {
			code: 'conflict' as const,
			message: `The task "${existing.id}" belongs to another agent.`,
			field: taskRef.field
		};
		throw new AppError(other.code, other.message, { field: other.field });
	}
	return { ...tools, existing };
}

/** The agent an agent reference names. */
export function resolveAgent(db: Db, config: Config, viewer: Viewer, ref: Exclude<AgentRef, { kind: 'of-task' }>): Promise<AgentWithTools> {
	if (ref.kind === 'resolved') return Promise.resolve(ref.agent);
	if (ref.kind === 'named') return getUsableAgent(db, viewer, ref.id, ref.field);
	return getDefaultAgent(db, viewer, config.DEFAULT_AGENT);
}

/** The existing task a task reference names: the viewer's (else `not_found`), or null for a new one. */
async function existingTask(
	db: Db,
	config: Config,
	viewer: Viewer,
	ref: TaskRef,
	tools: Pick<Target, 'agent' | 'serverTools'> | null
): Promise<Task | null> {
	switch (ref.kind) {
		case 'waiting-for': {
			if (!tools) throw new Error('A task waiting for calls is looked up once the agent is known.');
			const calls = ref.calls({ agent: tools.agent, serverTools: tools.serverTools() });
			return findTaskWaitingFor(db, viewer, tools.agent.id, calls, config.OPENAI_TASK_LOOKUP_LIMIT);
		}
		case 'new':
			return null;
		case 'resolved':
			return ref.task;
		case 'existing':
			return getOwnTask(db, viewer, ref.id, { field: ref.field });
		case 'existing-or-new':
			return (await findTask(db, ref.id)) ? getOwnTask(db, viewer, ref.id, { field: ref.field }) : null;
	}
}

/** How a new task would be made. */
function newTaskSpec(ref: TaskRef): NewTaskSpec {
	if (ref.kind === 'existing-or-new') return { ...ref.create, id: ref.id };
	return ref.kind === 'existing' ? {} : ref.create;
}

/** What a face may read while it settles its ask. */
function askContext(db: Db, existing: Task | null, stored: StoredMessage[] | null): AskContext {
	return {
		isNew: !existing,
		stored: stored ?? [],
		versionOnBranch: async (messageId) => (existing ? versionOnBranch(db, existing.id, messageId, stored ?? []) : undefined)
	};
}

/** The new message's parts, checked: owned files as stored file parts, uploads still to store. */
interface CheckedFiles {
	parts: (UIMessage['parts'][number] | Extract<CallerPart, { type: 'new-upload' }>)[];
	/** The caller's files the message names, to belong to the task. */
	ownedIds: string[];
}

/**
 * Checks the files of a new message before anything is stored: their number (`field` blamed),
 * that named files are the viewer's own, that links point at uploaded files (anything else must
 * be inline), and that uploads may be stored.
 */
async function checkFiles(db: Db, viewer: Viewer, parts: CallerPart[], options: CallerTurn['files']): Promise<CheckedFiles> {
	if (options) {
		const count = parts.filter((part) => ['file', 'uploaded-file', 'new-upload'].includes(part.type)).length;
		assertFileCount(count, options.field);
	}
	for (const part of parts) if (part.type === 'new-upload') await assertUploadableByType(part.file, part.field);
	const checked: CheckedFiles = { parts: [], ownedIds: [] };
	for (const part of parts) {
		const owned = ownedFileOf(part, options);
		if (owned) {
			const record = await getOwnFile(db, viewer, owned.id, { field: owned.field });
			checked.parts.push(await toFilePart(db, record));
			checked.ownedIds.push(record.id);
		} else {
			checked.parts.push(part as CheckedFiles['parts'][number]);
		}
	}
	return checked;
}

/** The caller's file a part names, and the field to blame; undefined for any other part. */
function ownedFileOf(part: CallerPart, options: CallerTurn['files']): { id: string; field: string } | undefined {
	if (part.type === 'uploaded-file') return { id: part.fileId, field: part.field };
	if (!options?.resolveLinks || part.type !== 'file' || !('url' in part) || typeof part.url !== 'string') return undefined;
	const { field } = options;
	const url = (part as FileUIPart).url;
	const id = fileIdOfUrl(url);
	if (id !== undefined) return { id, field };
	if (url.startsWith('data:')) return undefined;
	throw new AppError(
		'invalid_input',
		'A file part’s url must be a data: URL or a link to an uploaded file (/api/files/{id}, from POST /api/files).',
		{ field }
	);
}

/** The rows of a seed: the caller's message ids are kept when free, so that its references keep pointing at them. */
async function seedRows(db: Db, seed: CallerSeed): Promise<HistoryMessageInput[]> {
	const taken = await existingMessageIds(
		db,
		seed.messages.flatMap(({ id }) => (id === undefined ? [] : [id]))
	);
	return seed.messages.map(({ id, role, parts }) => {
		const reusable = id !== undefined && !taken.has(id);
		if (reusable) taken.add(id);
		return { role, parts, ...(reusable ? { id } : {}) };
	});
}

/** A new task (in its team, made on first use), with its history in the same transaction. */
async function makeTask(db: Db, viewer: Viewer, agent: AgentWithTools, spec: NewTaskSpec, history: HistoryMessageInput[]): Promise<Task> {
	if (spec.teamId) await ensureTeam(db, spec.teamId);
	return createTask(db, { ...newTaskInput(viewer, agent, spec), history });
}

/** A new task (its team made on first use) checked and ready to be stored with its first question. */
async function prepareTask(db: Db, viewer: Viewer, agent: AgentWithTools, spec: NewTaskSpec & { runOptions?: TaskRunOptions }) {
	if (spec.teamId) await ensureTeam(db, spec.teamId);
	// Stored only when one is set, as `setTaskRunOptions` stores them on a task that has none.
	const runOptions = spec.runOptions && Object.values(spec.runOptions).some(Boolean) ? spec.runOptions : null;
	return prepareNewTask(db, { ...newTaskInput(viewer, agent, spec), runOptions });
}

/** What a new task is made of, from the caller's spec. */
function newTaskInput(viewer: Viewer, agent: AgentWithTools, spec: NewTaskSpec): NewTaskInput {
	return { viewer, agentId: agent.id, id: spec.id, context: spec.context ?? null, title: spec.title, teamId: spec.teamId };
}

/** An existing task, in the team when it has none yet. */
function joinTeam(db: Db, task: Task, teamId: string | undefined): Promise<Task> {
	return teamId ? adoptIntoTeam(db, task, teamId) : Promise.resolve(task);
}
