import type { UIMessage } from 'ai';
import { AppError } from '../../errors';
import { isToolPart, type ToolPart } from '../../runtime/message-parts';
import type { CallerTool } from '../../runtime/turn-input';
import type { ToolCallAnswer } from '../../runtime/turn-request';
import type { AgentWithTools } from '../../services/agents';
import type { StoredMessage } from '../../services/messages';
import { titleFrom } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import type { CallerAsk, CallerPart, CallerSeed, CallerTurn } from '../../turns/caller-turn';
import type { AgUiMessage, AgUiTool, ResumeEntry, RunAgentInput } from './request';
import { declaredTools } from '../caller-tools';

/** The front end's `tools` as tools of this run; `invalid_input` on `tools.N.name` for a name used twice or taken by the agent. */
export function toCallerTools(tools: readonly AgUiTool[], agent: Pick<AgentWithTools, 'tools'>): CallerTool[] {
	return declaredTools(tools, agent, (index) => `tools.${index}.name`);
}

/**
 * The `context` entries as system text for this run, added to the agent's system prompt as a
 * caller's instructions are; undefined without entries.
 */
export function contextInstructions(context: RunAgentInput['context']): string | undefined {
	const entries = (context ?? []).filter((entry) => entry.value.trim() !== '' || entry.description.trim() !== '');
	if (entries.length === 0) return undefined;
	const lines = entries.map((entry) => `- ${entry.description.trim() || 'Context'}: ${entry.value}`);
	return ['Context from the application:', ...lines].join('\n');
}

/** The text of a message's content, its text parts joined. */
function textOf(content: AgUiMessage['content'] | null | undefined): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/**
 * A user message's content as the parts of a new message: text, and files inline (`data`
 * sources, as data URLs) or linked (`url` sources: links to uploaded files, `/api/files/{id}`).
 */
export function toUserParts(content: Extract<AgUiMessage, { role: 'user' }>['content']): CallerPart[] {
	if (typeof content === 'string') return content.trim() === '' ? [] : [{ type: 'text', text: content }];
	return content.flatMap((part): CallerPart[] => {
		if (part.type === 'text') return part.text.trim() === '' ? [] : [{ type: 'text', text: part.text }];
		const { source } = part;
		const mediaType = source.mimeType ?? 'application/octet-stream';
		const url = source.type === 'data' ? `data:${mediaType};base64,${source.value}` : source.value;
		return [{ type: 'file', mediaType, url }];
	});
}

/**
 * The answers the input carries for calls that wait in the thread: the tool messages that end
 * `messages` (an output, or `{"approved": true|false, "reason"?}` for a call that waits for
 * approval; `error` makes the call fail), and the `resume` entries answering the interrupts of
 * approvals (`payload` `{approved, reason?}` or a boolean; `cancelled` denies). An interrupt's
 * id is its approval's id, looked up among the stored calls (`not_found` on `resume.N.interruptId`).
 */
export function toAnswers(body: Pick<RunAgentInput, 'messages' | 'resume'>, stored: readonly StoredMessage[]): ToolCallAnswer[] {
	const answers: ToolCallAnswer[] = [];
	const trailing: Extract<AgUiMessage, { role: 'tool' }>[] = [];
	for (let index = body.messages.length - 1; index >= 0; index--) {
		const message = body.messages[index];
		if (message.role !== 'tool') break;
		trailing.unshift(message);
	}
	for (const message of trailing) {
		if (message.error !== undefined) {
			answers.push({ toolCallId: message.toolCallId, errorText: message.error });
			continue;
		}
		const text = textOf(message.content);
		answers.push({ toolCallId: message.toolCallId, output: approvalIn(text) ?? text });
	}
	const calls = stored.flatMap((message) => (message.parts as (UIMessage['parts'][number] | ToolPart)[]).filter(isToolPart));
	(body.resume ?? []).forEach((entry, index) => {
		const call = calls.findLast((part) => part.approval?.id === entry.interruptId || part.toolCallId === entry.interruptId);
		if (!call) {
			throw new AppError('not_found', `No interrupt "${entry.interruptId}" waits in this thread.`, {
				field: `resume.${index}.interruptId`
			});
		}
		if (answers.some((answer) => answer.toolCallId === call.toolCallId)) return;
		answers.push({ toolCallId: call.toolCallId, output: resumeAnswer(entry) });
	});
	return answers;
}

/** A tool message's text as an approval answer, when it is one (`{"approved": …}`). */
function approvalIn(text: string): { approved: boolean; reason?: string } | undefined {
	if (!text.trimStart().startsWith('{')) return undefined;
	try {
		const value: unknown = JSON.parse(text);
		if (typeof value !== 'object' || value === null || typeof (value as { approved?: unknown }).approved !== 'boolean') return undefined;
		const { approved, reason } = value as { approved: boolean; reason?: unknown };
		return { approved, ...(typeof reason === 'string' && reason !== '' ? { reason } : {}) };
	} catch {
		return undefined;
	}
}

/** A resume entry as an approval answer: a cancelled interrupt is a denial. */
function resumeAnswer(entry: ResumeEntry): { approved: boolean; reason?: string } {
	if (entry.status === 'cancelled') return { approved: false, reason: 'Cancelled.' };
	const payload = entry.payload;
	if (typeof payload === 'boolean') return { approved: payload };
	if (typeof payload === 'object' && payload !== null) {
		const { approved, reason } = payload as { approved?: unknown; reason?: unknown };
		return { approved: approved !== false, ...(typeof reason === 'string' && reason !== '' ? { reason } : {}) };
	}
	return { approved: true };
}

/** Messages of a new thread's history, stored before its first run: their text. */
function historyOf(messages: readonly AgUiMessage[]): CallerSeed['messages'] {
	return messages.flatMap((message): CallerSeed['messages'] => {
		const role = message.role === 'developer' ? 'system' : message.role;
		if (role !== 'user' && role !== 'assistant' && role !== 'system') return [];
		const text = textOf(message.content as AgUiMessage['content']);
		return text.trim() === '' ? [] : [{ role, parts: [{ type: 'text', text }] }];
	});
}

/** Whether the input answers calls that wait: it ends with tool messages, or carries `resume` entries. */
export function answersCalls(body: Pick<RunAgentInput, 'messages' | 'resume'>): boolean {
	return body.messages.at(-1)?.role === 'tool' || (body.resume ?? []).length > 0;
}

/**
 * What a run asks for: the answers to waiting calls (see {@link toAnswers}), or the last message,
 * which must then be the user's. For a new thread, the messages before it are stored first as its
 * history (their text); an existing thread's history is the server's, and only what is new is read.
 */
export function planRun(body: RunAgentInput, stored: readonly StoredMessage[] | null): { history: CallerSeed['messages']; ask: CallerAsk } {
	if (answersCalls(body)) return { history: [], ask: { type: 'answers', answers: toAnswers(body, stored ?? []) } };
	const last = body.messages.at(-1);
	if (!last || last.role !== 'user') {
		throw new AppError(
			'invalid_input',
			'The last message must be a user message, or tool messages answering the calls that wait (or send resume entries).',
			{ field: body.messages.length === 0 ? 'messages' : `messages.${body.messages.length - 1}.role` }
		);
	}
	const parts = toUserParts(last.content);
	if (parts.length === 0) {
		throw new AppError('invalid_input', 'The user message is empty.', { field: `messages.${body.messages.length - 1}.content` });
	}
	return { history: stored ? [] : historyOf(body.messages.slice(0, -1)), ask: { type: 'message', parts } };
}

/**
 * An AG-UI run (`POST /ag-ui/{agent}`) as a caller turn: the thread is the caller's task of that
 * agent (`threadExists`; someone else's is not found, another agent's a conflict), or a new task
 * with the thread's id. The front end's `tools` are client tools; `context` entries are system
 * text for this run.
 */
export function toCallerTurn(body: RunAgentInput, agent: string, viewer: Viewer, threadExists: boolean): CallerTurn {
	const instructions = contextInstructions(body.context);
	return {
		viewer,
		agent: { kind: 'named', id: agent, field: 'agent' },
		task: threadExists
			? {
					kind: 'existing',
					id: body.threadId,
					field: 'threadId',
					otherAgent: { code: 'conflict', message: `The thread "${body.threadId}" belongs to another agent.`, field: 'threadId' }
				}
			: { kind: 'new', create: { id: body.threadId } },
		busy: { code: 'conflict', message: 'This thread is still answering a run: wait for it, or cancel it.', field: 'threadId' },
		callerTools: (resolved) => toCallerTools(body.tools ?? [], resolved),
		files: { field: 'messages', resolveLinks: true },
		seed: ({ stored }) => {
			const plan = planRun(body, stored);
			const first = plan.ask.type === 'message' ? plan.ask.parts : [];
			const title = stored
				? undefined
				: titleFrom(first.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ')) || 'New thread';
			return { messages: plan.history, ask: plan.ask, ...(title ? { title } : {}) };
		},
		ask: { type: 'respond' },
		...(instructions ? { settings: { instructions } } : {})
	};
}
