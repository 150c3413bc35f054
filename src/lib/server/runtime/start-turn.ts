/**
 * The start of a turn: the run registered, the history settled and stored in one transaction,
 * the run published, and the answer left running in the background.
 */
import { eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { createCodeContext } from '../code-agents/respond';
import { tasks, type Message } from '../db/schema';
import { AppError } from '../errors';
import { newId } from '../ids';
import { insertMessage, listMessages, messageIdExists, updateMessageQuery } from '../services/messages';
import { newTaskConflict, questionTitle, touchTaskQuery } from '../services/tasks';
import { ActiveRun, runRegistry } from './run-registry';
import { getSharedRuns } from './runs';
import { prepareHistory } from './turn-request';
import type { TurnInput } from './turn-input';
import { checkTurn } from './check-turn';
import { serverToolsOf } from './turn-tools';
import { historyAfter } from './history-after';
import { driveRun } from './drive-run';

/**
 * Starts one turn of an agent on a task. The history is settled before the model is called: a
 * new question is stored, an edited one becomes a new version of the old one (a new branch from
 * the message before it), a regenerated answer a new version of the answer, a continuation
 * applies tool outputs and approvals to the last answer. The answer is stored as `streaming` and the model runs in the background; the returned
 * run can be read by any number of subscribers and ends on its own.
 */
export async function startTurn(input: TurnInput): Promise<ActiveRun> {
	const { db, config, agent, request } = input;
	let task = input.task;
	const registry = input.registry ?? runRegistry;
	const checked = checkTurn(input);
	const { model, codeAgent } = checked;
	let tools = checked.tools;

	// The run is registered before the first await, so that two requests on one task cannot both start.
	const run = new ActiveRun(task.id, request.type === 'continue' ? request.messageId : newId());
	if (!registry.tryAdd(run)) {
		throw new AppError('conflict', 'This task is already answering. Stop it or wait for the answer.', {
			field: 'id'
		});
	}
	try {
		const stored = input.storedMessages ?? (await listMessages(db, task.id));
		const prepared = prepareHistory(stored, request, serverToolsOf(tools));
		// The client's id for a new question is kept when it is free (an edit's question is a new version beside the old).
		const questionId =
			request.type === 'message' && request.messageId && !(await messageIdExists(db, request.messageId)) ? request.messageId : newId();
		// A new branch follows the last message it keeps; otherwise a new message follows the history's end.
		const branchParent = prepared.branchAt === undefined ? undefined : (stored[prepared.branchAt - 1]?.id ?? null);
		// Every write before the model is called goes in one transaction, a new task's own included.
		const writes: BatchItem<'sqlite'>[] = input.newTask ? [input.newTask] : [];
		// A code agent makes the task's context before its first answer; its tools then see it.
		const created = codeAgent ? await createCodeContext(db, codeAgent, task) : null;
		if (created) {
			task = { ...task, ...created };
			tools = checkTurn({ ...input, task }).tools;
			writes.push(db.update(tasks).set(created).where(eq(tasks.id, task.id)));
		}
		// Calls the caller left unanswered are closed in the same transaction as the question that follows them.
		if (prepared.closed) writes.push(updateMessageQuery(db, prepared.closed.message.id, { parts: prepared.closed.parts }));
		const questionAt = request.type === 'message' ? writes.length : -1;
		if (request.type === 'message') {
			writes.push(insertMessage(db, { taskId: task.id, role: 'user', parts: request.parts, id: questionId, parentId: branchParent }));
			// A task with a title keeps it (updating the title column would re-index it for search); a task made now is fresh.
			if (!input.newTask || task.title === '') {
				writes.push(touchTaskQuery(db, task.id, task.title === '' ? questionTitle(request.parts) : undefined));
			}
		}
		writes.push(
			prepared.continued
				? updateMessageQuery(db, run.messageId, { parts: prepared.continued.parts, status: 'streaming', error: null })
				: insertMessage(db, {
						id: run.messageId,
						taskId: task.id,
						role: 'assistant',
						parts: [],
						status: 'streaming',
						model: agent.model,
						parentId: request.type === 'message' ? questionId : branchParent
					})
		);
		const [first, ...rest] = writes;
		const results = await db.batch([first, ...rest]);
		input.onStored?.();
		const question = questionAt >= 0 ? (results[questionAt] as Message[])[0] : undefined;
		const history = historyAfter(stored, prepared, question);
		run.emit({ type: 'run-start', taskId: task.id, messageId: run.messageId, model: agent.model });
		const shared = input.shared === undefined ? getSharedRuns() : input.shared;
		if (shared) await (await shared).publish(run);
		const initialParts = prepared.continued?.parts ?? [];
		// A continued answer (tool outputs, approvals) is the model's to finish: it made the calls.
		const respondInCodeAgent = prepared.continued ? undefined : codeAgent;
		void driveRun({
			db,
			config,
			run,
			agent,
			tools,
			model,
			history,
			task,
			initialParts,
			codeAgent: respondInCodeAgent,
			settings: input.settings
		});
		return run;
	} catch (error) {
		run.end();
		throw (input.newTask && newTaskConflict(error, task.id)) || error;
	}
}
