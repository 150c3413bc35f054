import { AppError } from '../../errors';
import { assertFileCount, countFileParts } from '../../files/upload-checks';
import type { CallerTool } from '../../runtime/turn-input';
import type { ToolCallAnswer } from '../../runtime/turn-request';
import type { AgentWithTools } from '../../services/agents';
import { titleFrom } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import type { AgentRef, CallerAsk, CallerSeed, CallerTurn, SeedContext } from '../../turns/caller-turn';
import { textOf } from '../../../text-of';
import { fromStateMessages } from './from-state-message';
import {
	keptBefore,
	sortCommands,
	threadTaskIdOf,
	toUserParts,
	type AddMessageCommand,
	type AddToolResultCommand,
	type AssistantRequest,
	type MessagePlace,
	type SortedCommands
} from './request';

/**
 * One `POST /assistant` as a caller turn. The thread is the task named by `state.taskId` or
 * `threadId` (the caller's, else 404); without one, a task is made with `state.messages` as its
 * history. Then:
 * - `add-message` stores the new user message and answers it; when `parentId` is not the last
 *   message (or is null with a `sourceId`: the first), it is a new version of the question after it;
 * - `add-tool-result` answers pending tool calls; the last answer continues the same assistant
 *   message, earlier ones are only stored;
 * - no command answers the history as it stands, when it ends with a user message.
 * `agent` is the one named in the query (`?agent=`), for a new thread.
 */
export function toCallerTurn(body: AssistantRequest, viewer: Viewer, agent?: string | null): CallerTurn {
	const commands = sortCommands(body.commands);
	const named = threadTaskIdOf(body);
	// The files this request stores: the new message's, and for a new thread those of its history.
	const history = named ? [] : fromStateMessages(body.state?.messages ?? []);
	const newParts = [...(commands.message ? toUserParts(commands.message.message) : []), ...history.flatMap((message) => message.parts)];
	assertFileCount(countFileParts(newParts), 'commands');
	const asked = agent || body.config?.agent;
	const newThreadAgent: Exclude<AgentRef, { kind: 'of-task' }> =
		asked !== undefined && asked !== null && asked !== '' ? { kind: 'named', id: asked, field: 'agent' } : { kind: 'default' };
	return {
		viewer,
		agent: { kind: 'of-task', otherwise: newThreadAgent },
		task: named ? { kind: 'existing', id: named.id, field: named.field } : { kind: 'new', create: { context: body.context ?? null } },
		callerTools: (agent) => callerToolsOf(body.tools, agent),
		...(named ? {} : { seed: (context: SeedContext) => newThread(body, commands, context) }),
		ask: ({ stored }) => askOf(commands, stored, placeOf(commands.message, body.parentId))
	};
}

/** Frontend tools the client declares, except those the agent has itself (the client may run those). */
function callerToolsOf(tools: AssistantRequest['tools'], agent: AgentWithTools): CallerTool[] {
	return Object.entries(tools ?? {})
		.filter(([name]) => !agent.tools.some((tool) => tool.name === name))
		.map(([name, tool]) => ({ name, description: tool.description, inputSchema: tool.parameters }));
}

/**
 * The history of a thread Parley does not have yet: `state.messages` (cut after the new
 * message's `parentId`), the caller's, in which no call of a server tool can wait; titled by its
 * first question. The client's ids are kept when free, so that its `parentId`s keep pointing at them.
 */
function newThread(body: AssistantRequest, commands: SortedCommands, { serverTools }: SeedContext): CallerSeed {
	let history = fromStateMessages(body.state?.messages ?? [], { serverTools });
	if (commands.message) history = history.slice(0, keptBefore(history, placeOf(commands.message, body.parentId)));
	const last = history[history.length - 1];
	if (commands.toolResults.length > 0 && last?.role !== 'assistant') {
		throw new AppError('not_found', 'No tool call of this thread is waiting for a result.', { field: 'toolCallId' });
	}
	if (!commands.message && commands.toolResults.length === 0 && last?.role !== 'user') {
		throw new AppError('invalid_input', 'Nothing to answer: send an add-message command.', { field: 'commands' });
	}
	const firstQuestion = history.find((message) => message.role === 'user');
	return {
		messages: history.map(({ id, role, parts }) => ({ id, role, parts })),
		title: firstQuestion ? titleFrom(textOf(firstQuestion.parts, ' ')) : undefined,
		// A new thread's history was already cut after `parentId`.
		ask: askOf(commands, history, {})
	};
}

/** What the commands ask of a thread with this history. */
function askOf(commands: SortedCommands, stored: readonly { id?: string; role: string }[], place: MessagePlace): CallerAsk {
	if (commands.toolResults.length > 0) return { type: 'answers', answers: commands.toolResults.map(toAnswer) };
	return commands.message ? messageAsk(commands.message, stored, place) : respondAsk(stored);
}

/** Where a new message goes: after its own `parentId`, else the request's; `sourceId` names what it edits. */
function placeOf(command: AddMessageCommand | undefined, bodyParentId: string | null | undefined): MessagePlace {
	if (!command) return {};
	return { parentId: command.parentId !== undefined ? command.parentId : bodyParentId, sourceId: command.sourceId };
}

/**
 * The ask of a new message. Following the last message it is a plain question; following an
 * earlier one (or none, for the first), it is a new version of the user message there: the
 * thread goes on along a new branch from it (an edit).
 */
function messageAsk(command: AddMessageCommand, stored: readonly { id?: string; role: string }[], place: MessagePlace): CallerAsk {
	const ask = { type: 'message' as const, parts: toUserParts(command.message), messageId: command.message.id };
	const kept = keptBefore(stored, place);
	if (kept === stored.length) return ask;
	const replaced = stored[kept];
	if (replaced.role !== 'user') {
		throw new AppError('invalid_input', 'A new message can follow the last message, or replace a question of the thread.', {
			field: 'parentId'
		});
	}
	return { ...ask, replaceFrom: replaced.id };
}

/** The ask without commands: answer the history, which must end with a question. */
function respondAsk(stored: readonly { role: string }[]): CallerAsk {
	if (stored[stored.length - 1]?.role !== 'user') {
		throw new AppError('invalid_input', 'Nothing to answer: send an add-message or add-tool-result command.', {
			field: 'commands'
		});
	}
	return { type: 'respond' };
}

/** A tool result as the runtime takes it: an output, an error, or an approval decision. */
function toAnswer(command: AddToolResultCommand): ToolCallAnswer {
	if (command.isError) {
		const errorText = typeof command.result === 'string' ? command.result : JSON.stringify(command.result);
		return { toolCallId: command.toolCallId, errorText: errorText || 'The tool failed.' };
	}
	return { toolCallId: command.toolCallId, output: command.result ?? null };
}
