import type { UIMessage } from 'ai';
import { eq } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Db } from '../../db';
import { tasks, type Task } from '../../db/schema';
import { AppError } from '../../errors';
import { sanitizeFileName } from '../../files/file-names';
import { assignFilesToTask, getOwnFile } from '../../files/file-records';
import { toFilePart } from '../../files/model-parts';
import { assertFileCount } from '../../files/upload-checks';
import type { ActiveRun } from '../../runtime/run-registry';
import { startTurn } from '../../runtime/run-turn';
import { getUsableAgent } from '../../services/agents';
import { validateTaskContext } from '../../services/context-schema';
import { createTask, getOwnTask } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import { checkHistory } from '../history-limits';
import { toInlineFilePart, type AgentRunRequest } from './request';

/** What a run request of the agent API needs. */
export interface AgentTurnInput {
	db: Db;
	config: Config;
	viewer: Viewer;
	body: AgentRunRequest;
}

/** The parts of the new user message: its files (uploaded ones by id, inline ones as data URLs), then its text. */
async function userPartsOf(
	db: Db,
	viewer: Viewer,
	body: AgentRunRequest
): Promise<{ parts: UIMessage['parts']; uploadedIds: string[] }> {
	assertFileCount(body.files.length, 'files');
	const parts: UIMessage['parts'] = [];
	const uploadedIds: string[] = [];
	for (const [index, file] of body.files.entries()) {
		if (typeof file === 'string') {
			const record = await getOwnFile(db, viewer, file, { field: `files.${index}` });
			parts.push(await toFilePart(db, record));
			uploadedIds.push(record.id);
		} else {
			parts.push(toInlineFilePart(file, sanitizeFileName(file.name)));
		}
	}
	if (body.message.trim() !== '') parts.push({ type: 'text', text: body.message });
	return { parts, uploadedIds };
}

/**
 * Stores whether every tool call of the task goes to the caller (`auto_execute_tools: false`),
 * so that the run a tool output continues behaves the same.
 */
async function withRunOptions(db: Db, task: Task, handOverAllTools: boolean): Promise<Task> {
	if ((task.runOptions?.handOverAllTools ?? false) === handOverAllTools) return task;
	const runOptions = { ...task.runOptions, handOverAllTools };
	await db.update(tasks).set({ runOptions }).where(eq(tasks.id, task.id));
	return { ...task, runOptions };
}

/**
 * Starts a run for `POST /api/agent/stream/` and `/api/agent/chat/`: a new user message on the
 * caller's session (404 when unknown or someone else's; 409 when it belongs to another agent),
 * or on a new session whose context is checked against the agent's schema. A new session is
 * removed again when the run cannot start, so nothing half-made is left.
 */
export async function startAgentTurn({ db, config, viewer, body }: AgentTurnInput): Promise<ActiveRun> {
	// The history this face carries is the new message; the server keeps the rest.
	checkHistory([body.message], config, 'message');
	const agent = await getUsableAgent(db, viewer, body.agent_id, 'agent_id');
	const existing = body.session_id ? await getOwnTask(db, viewer, body.session_id, { field: 'session_id' }) : null;
	if (existing && existing.agentId !== agent.id) {
		throw new AppError('conflict', `The session "${existing.id}" belongs to another agent.`, { field: 'session_id' });
	}
	if (!existing) validateTaskContext(agent.contextSchema, body.context);
	const { parts, uploadedIds } = await userPartsOf(db, viewer, body);
	const handOverAllTools = !body.auto_execute_tools;

	const session = existing ?? (await createTask(db, { viewer, agentId: agent.id, context: body.context ?? null }));
	try {
		const task = await withRunOptions(db, session, handOverAllTools);
		await assignFilesToTask(db, viewer, uploadedIds, task.id);
		return await startTurn({ db, config, task, agent, request: { type: 'message', parts }, handOverAllTools });
	} catch (error) {
		if (!existing) await db.delete(tasks).where(eq(tasks.id, session.id));
		// The runtime names the task `id`; here it is the session.
		if (error instanceof AppError && error.code === 'conflict' && error.field === 'id') {
			throw new AppError('conflict', error.message, { field: 'session_id' });
		}
		throw error;
	}
}
