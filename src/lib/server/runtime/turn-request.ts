import type { UIMessage } from 'ai';
import type { Message } from '../db/schema';
import { AppError } from '../errors';
import { isToolPart, type ToolPart } from './message-parts';

/** The output of a tool call that the caller ran (a client tool). */
export interface ToolOutputInput {
	toolCallId: string;
	output?: unknown;
	/** Set when the caller's tool failed. */
	errorText?: string;
}

/** An answer to a tool call that waited for approval. */
export interface ApprovalInput {
	approvalId: string;
	approved: boolean;
	reason?: string;
}

/** What a turn does with the task's history before the model runs. */
export type TurnRequest =
	/**
	 * A new user message; `replaceFrom` names a question of the history it is a new version of:
	 * it follows what that question followed, on a new branch.
	 */
	| { type: 'message'; parts: UIMessage['parts']; messageId?: string; replaceFrom?: string }
	/**
	 * Answer a question again: a new version of the answer `messageId` (by default the last
	 * answer, or the answer the last question waits for), on a new branch.
	 */
	| { type: 'regenerate'; messageId?: string }
	/** Continue the last answer with tool outputs and approval answers. */
	| { type: 'continue'; messageId: string; toolOutputs: ToolOutputInput[]; approvals: ApprovalInput[] }
	/** Answer the stored history as it stands (its last message already stored by the caller). */
	| { type: 'respond' };

/**
 * Who may answer the pending calls of an answer. A caller answers the calls of tools it runs (its
 * own tools, client tools) as it likes; a call of a tool the server runs is never the caller's
 * to answer with an output, and the caller may approve it only when the agent's own run made it.
 * The tool's name and input always come from the stored call, never from the caller.
 */
export interface AnswerRules {
	/** The tools this turn runs on the server (those with an implementation here). */
	serverTools: ReadonlySet<string>;
	/**
	 * Whether the answer was written by the agent's own run (its message names the model that
	 * wrote it), rather than stored from history a caller sent.
	 */
	writtenByAgent: boolean;
}

/** Whether a stored message was written by the agent's own run: history a caller sent names no model. */
export function isWrittenByAgent(message: Pick<Message, 'role' | 'model'>): boolean {
	return message.role === 'assistant' && message.model !== null && message.model !== undefined;
}

/** How the history looks once a request is applied, before the model runs. */
export interface PreparedHistory {
	/**
	 * Set when the turn starts a new branch: how many messages of the stored history the new
	 * branch keeps (its new message follows the last of them, or is a first message when none).
	 */
	branchAt?: number;
	/** The assistant message that continues, with its updated parts. */
	continued?: { message: Message; parts: UIMessage['parts'] };
	/**
	 * An earlier answer whose calls still waited for the caller when a new question came, with
	 * those calls closed as not answered (see {@link closeWaitingCalls}).
	 */
	closed?: { message: Message; parts: UIMessage['parts'] };
}

/** What a call that waited for the caller says once the caller went on without answering it. */
export const NOT_ANSWERED = 'Not answered: the conversation went on.';

/**
 * An answer's parts with the calls that still wait for the caller closed as not answered: a
 * client tool's call fails with {@link NOT_ANSWERED}, a call that waits for approval is denied
 * with it as the reason. `undefined` when no call waits.
 */
export function closeWaitingCalls(parts: UIMessage['parts']): UIMessage['parts'] | undefined {
	if (pendingToolCalls(parts).length === 0) return undefined;
	const updated = structuredClone(parts);
	for (const part of pendingToolCalls(updated)) {
		if (part.state === 'approval-requested' && part.approval) {
			Object.assign(part, { state: 'output-denied', approval: { id: part.approval.id, approved: false, reason: NOT_ANSWERED } });
		} else {
			Object.assign(part, { state: 'output-error', errorText: NOT_ANSWERED });
			delete part.approval;
		}
	}
	return updated;
}

/**
 * The last answer before the history's last question, with its waiting calls closed; `undefined`
 * when it has none (or there is no such answer).
 */
function closeAnswerBefore(stored: Message[], questionAt: number): PreparedHistory['closed'] {
	const answerAt = stored.findLastIndex((message, index) => index < questionAt && message.role === 'assistant');
	if (answerAt < 0) return undefined;
	const parts = closeWaitingCalls(stored[answerAt].parts);
	return parts ? { message: stored[answerAt], parts } : undefined;
}

/** Tool calls of an answer that still wait for the caller: client outputs and approvals. */
export function pendingToolCalls(parts: UIMessage['parts']): ToolPart[] {
	return (parts as (UIMessage['parts'][number] | ToolPart)[])
		.filter(isToolPart)
		.filter((part) => part.state === 'input-available' || part.state === 'approval-requested');
}

/**
 * Works out how a request changes the stored history; `invalid_input` or `conflict` when it cannot
 * apply. `serverTools` names the tools the turn runs on the server (see {@link AnswerRules}).
 */
export function prepareHistory(stored: Message[], request: TurnRequest, serverTools: ReadonlySet<string> = new Set()): PreparedHistory {
	switch (request.type) {
		case 'message': {
			// A new question after an answer whose calls wait closes them: the caller went on without answering.
			if (!request.replaceFrom) {
				const closed = closeAnswerBefore(stored, stored.length);
				return closed ? { closed } : {};
			}
			const replaced = stored.findIndex((message) => message.id === request.replaceFrom);
			if (replaced < 0 || stored[replaced].role !== 'user') {
				throw new AppError('invalid_input', 'Only a question of this task can be edited.', { field: 'messageId' });
			}
			return { branchAt: replaced };
		}
		case 'regenerate': {
			if (request.messageId !== undefined) {
				const answer = stored.findIndex((message) => message.id === request.messageId);
				if (answer < 0 || stored[answer].role !== 'assistant') {
					throw new AppError('invalid_input', 'Only an answer of this task can be answered again.', {
						field: 'messageId'
					});
				}
				if (!stored.slice(0, answer).some((message) => message.role === 'user')) {
					throw new AppError('invalid_input', 'There is no question to answer again.', { field: 'messageId' });
				}
				return { branchAt: answer };
			}
			const lastQuestion = stored.findLastIndex((message) => message.role === 'user');
			if (lastQuestion < 0) {
				throw new AppError('invalid_input', 'There is no question to answer again.', { field: 'trigger' });
			}
			return { branchAt: lastQuestion + 1 };
		}
		case 'continue': {
			const last = stored.at(-1);
			if (!last || last.role !== 'assistant' || last.id !== request.messageId) {
				throw new AppError('conflict', 'Only the last answer of a task can be continued.', { field: 'messageId' });
			}
			const parts = applyAnswers(last.parts, request, { serverTools, writtenByAgent: isWrittenByAgent(last) });
			const waiting = pendingToolCalls(parts);
			if (waiting.length > 0) {
				throw new AppError('invalid_input', `Tool calls still wait for an answer: ${waiting.map((part) => part.toolCallId).join(', ')}.`, {
					field: 'toolCallId'
				});
			}
			return { continued: { message: last, parts } };
		}
		case 'respond': {
			// System messages go to the instructions, and a message of only step marks says nothing:
			// a history of those leaves the model no message at all.
			if (!stored.some(saysSomething)) {
				throw new AppError('invalid_input', 'There is nothing to answer yet: no message holds some content.', {
					field: 'messages'
				});
			}
			// The model's run starts by running the approved calls of the last message: only the agent's own.
			const last = stored[stored.length - 1];
			const approved = isWrittenByAgent(last)
				? undefined
				: (last.parts as (UIMessage['parts'][number] | ToolPart)[])
						.filter(isToolPart)
						.find((part) => part.state === 'approval-responded' && serverTools.has(toolNameOf(part)));
			if (approved) {
				throw approvalOfCallNotMade(approved, 'messages');
			}
			// A question stored after an answer whose calls wait closes them, as a new message does.
			const question = stored.findLastIndex((message) => message.role === 'user');
			const closed = question >= 0 ? closeAnswerBefore(stored, question) : undefined;
			return closed ? { closed } : {};
		}
	}
}

/** Whether a stored message reaches the model as a message: a question or answer with some content. */
function saysSomething(message: Message): boolean {
	return message.role !== 'system' && message.parts.some((part) => part.type !== 'step-start');
}

/** The tool name of a stored tool part. */
function toolNameOf(part: ToolPart): string {
	return part.type.slice('tool-'.length);
}

/** The refusal of an approval of `part`, a call of a server tool that the agent did not make. */
function approvalOfCallNotMade(part: ToolPart, field: string): AppError {
	return new AppError(
		'invalid_input',
		`The call "${part.toolCallId}" of the tool "${toolNameOf(part)}" was not made by this agent, so it cannot be approved.`,
		{ field }
	);
}

/**
 * Applies tool outputs and approval answers to an answer's parts. Each must answer a call that
 * is still pending, and be the caller's to give (see {@link AnswerRules}): `invalid_input` naming
 * the call otherwise. At least one must be given.
 */
export function applyAnswers(
	parts: UIMessage['parts'],
	answers: { toolOutputs: ToolOutputInput[]; approvals: ApprovalInput[] },
	rules: AnswerRules
): UIMessage['parts'] {
	if (answers.toolOutputs.length === 0 && answers.approvals.length === 0) {
		throw new AppError('invalid_input', 'Nothing to continue with: send a tool output or an approval answer.', {
			field: 'messages'
		});
	}
	const updated = structuredClone(parts);
	const tools = (updated as (UIMessage['parts'][number] | ToolPart)[]).filter(isToolPart);
	for (const answer of answers.toolOutputs) {
		const part = tools.find((candidate) => candidate.toolCallId === answer.toolCallId);
		if (!part || part.state !== 'input-available') {
			throw new AppError('invalid_input', `No tool call "${answer.toolCallId}" is waiting for an output.`, {
				field: 'toolCallId'
			});
		}
		if (rules.serverTools.has(toolNameOf(part))) {
			throw new AppError(
				'invalid_input',
				`The call "${answer.toolCallId}" is of the tool "${toolNameOf(part)}", which runs on the server: its output cannot be sent.`,
				{ field: 'toolCallId' }
			);
		}
		if (answer.errorText !== undefined) Object.assign(part, { state: 'output-error', errorText: answer.errorText });
		else Object.assign(part, { state: 'output-available', output: answer.output ?? null });
	}
	for (const answer of answers.approvals) {
		const part = tools.find((candidate) => candidate.approval?.id === answer.approvalId);
		if (!part || part.state !== 'approval-requested') {
			throw new AppError('invalid_input', `No approval "${answer.approvalId}" is waiting for an answer.`, {
				field: 'approvalId'
			});
		}
		if (rules.serverTools.has(toolNameOf(part)) && !rules.writtenByAgent) {
			throw approvalOfCallNotMade(part, 'approvalId');
		}
		Object.assign(part, {
			state: 'approval-responded',
			approval: { id: answer.approvalId, approved: answer.approved, ...(answer.reason ? { reason: answer.reason } : {}) }
		});
	}
	return updated;
}

/**
 * An answer to a pending tool call, as the public faces receive it: the output of a client tool,
 * or for a call that waits for approval, `{ approved: true | false, reason? }`.
 */
export interface ToolCallAnswer {
	toolCallId: string;
	output?: unknown;
	/** Set when the caller's tool failed. */
	errorText?: string;
}

/** Splits answers by what each pending call waits for: an output, or an approval. */
export function sortAnswers(
	parts: UIMessage['parts'],
	answers: ToolCallAnswer[]
): { toolOutputs: ToolOutputInput[]; approvals: ApprovalInput[] } {
	const pending = pendingToolCalls(parts);
	const toolOutputs: ToolOutputInput[] = [];
	const approvals: ApprovalInput[] = [];
	for (const answer of answers) {
		const part = pending.find((candidate) => candidate.toolCallId === answer.toolCallId);
		if (!part) {
			throw new AppError('not_found', `No tool call "${answer.toolCallId}" is waiting for an answer.`, {
				field: 'call_id'
			});
		}
		if (part.state === 'approval-requested' && part.approval) {
			const decision = answer.output as { approved?: unknown; reason?: unknown } | null | undefined;
			if (typeof decision?.approved !== 'boolean') {
				throw new AppError(
					'invalid_input',
					`The call "${answer.toolCallId}" needs approval: answer {"approved": true} or {"approved": false}.`,
					{
						field: 'output'
					}
				);
			}
			approvals.push({
				approvalId: part.approval.id,
				approved: decision.approved,
				...(typeof decision.reason === 'string' ? { reason: decision.reason } : {})
			});
		} else {
			toolOutputs.push(answer);
		}
	}
	return { toolOutputs, approvals };
}
