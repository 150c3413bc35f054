import type { UIMessage } from 'ai';
import { AppError } from '../../errors';
import { parseJsonWithin } from '../../http/json-depth';
import type { ToolPart } from '../../runtime/message-parts';
import { dataUrlMediaType, mediaTypeOfFilename, quoteUrl } from '../attachments';
import type { ToolCallAnswer } from '../../runtime/turn-request';
import type { OpenAIAssistantMessage, OpenAIMessage, OpenAIUserContent } from './request';

type Part = UIMessage['parts'][number];

/** A message to store, in the task's own (UIMessage) form. */
export interface StoredDraft {
	role: 'system' | 'user' | 'assistant';
	parts: UIMessage['parts'];
}

/** An OpenAI history in stored form. */
export interface ConvertedHistory {
	messages: StoredDraft[];
	/**
	 * The `tool` messages that end the history, answering calls of the last assistant message. Those
	 * calls are left pending in `messages` (`input-available`, or `approval-requested` for tools that
	 * need approval), so that the answers continue that same message.
	 */
	trailingAnswers: ToolCallAnswer[];
	/**
	 * The calls of tools the server runs (the agent's own) in the answer the trailing `tool`
	 * messages continue: answers to them can only answer calls the agent made, which a stored task
	 * of the caller waits for. Each as the caller sent it, to find that task; what runs is the
	 * stored call, never this one.
	 */
	serverCalls: ServerCall[];
}

/** A call of a tool the server runs, in the answer that the `tool` messages ending a history continue. */
export interface ServerCall {
	toolCallId: string;
	toolName: string;
	input: unknown;
	/** Whether a trailing `tool` message answers it. */
	answered: boolean;
	/** Where it is in the request, for errors: `messages.3.tool_call_id` (its answer) or `messages.2.tool_calls`. */
	field: string;
}

/** An assistant message being built: OpenAI splits one answer into several messages around tool results. */
interface AssistantGroup {
	parts: (Part | ToolPart)[];
	calls: Map<string, { part: ToolPart; name: string; messageIndex: number; answer?: { output: unknown; messageIndex: number } }>;
	/** Whether tool messages came after the group's last assistant message. */
	afterTool: boolean;
}

export { dataUrlMediaType };

/** The text of content that may only hold text. */
function textOf(content: string | { type: 'text'; text: string }[]): string {
	return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

/** The parts of a user message: text as is; images, audio and files as file parts when sent inline. */
function userParts(content: OpenAIUserContent): Part[] {
	if (typeof content === 'string') return [{ type: 'text', text: content }];
	return content.map((part): Part => {
		switch (part.type) {
			case 'text':
				return { type: 'text', text: part.text };
			case 'image_url': {
				const mediaType = dataUrlMediaType(part.image_url.url);
				if (mediaType) return { type: 'file', mediaType, url: part.image_url.url };
				return {
					type: 'text',
					text: `[An image was left out (${quoteUrl(part.image_url.url)}): only images sent as data URLs reach the agent.]`
				};
			}
			case 'input_audio': {
				const mediaType = part.input_audio.format === 'wav' ? 'audio/wav' : 'audio/mpeg';
				return { type: 'file', mediaType, url: `data:${mediaType};base64,${part.input_audio.data}` };
			}
			case 'file': {
				const { file_data: data, filename } = part.file;
				const named = filename ? { filename } : {};
				if (data) {
					const mediaType = dataUrlMediaType(data);
					if (mediaType) return { type: 'file', mediaType, url: data, ...named };
					const guessed = mediaTypeOfFilename(filename);
					return { type: 'file', mediaType: guessed, url: `data:${guessed};base64,${data}`, ...named };
				}
				return {
					type: 'text',
					text: `[A file was left out (${filename ?? part.file.file_id ?? 'unnamed'}): only files sent as file_data reach the agent.]`
				};
			}
		}
	});
}

/** The text parts of an assistant message: its content and any refusal. */
function assistantTexts(message: OpenAIAssistantMessage): string[] {
	const content = message.content;
	const texts = typeof content === 'string' ? [content] : (content ?? []).map((part) => (part.type === 'text' ? part.text : part.refusal));
	if (message.refusal) texts.push(message.refusal);
	return texts.filter((text) => text !== '');
}

/**
 * Tool call arguments or a tool message's content: JSON when it parses (within the JSON depth
 * limit), else the text as sent.
 */
function parseJsonOrText(text: string): unknown {
	try {
		return parseJsonWithin(text);
	} catch {
		return text;
	}
}

/**
 * Converts an OpenAI chat history into stored messages. An assistant message with `tool_calls`,
 * the `tool` messages answering them and the assistant messages that follow make one stored
 * answer (as the runtime stores a multi-step answer), its calls `tool-<name>` parts with state
 * `output-available`. System and developer messages are stored as system messages.
 * `invalid_input` naming the message at fault for a history OpenAI would refuse too: a tool
 * message that answers no call, or a call left unanswered before the end.
 *
 * History is only history: an answered call of a tool the server runs (`serverTools`) is stored
 * as the caller sent it and never runs. Trailing answers to such calls are listed apart
 * (`serverCalls`); their calls are never left waiting for approval, since only a call the agent
 * made may be approved. Trailing calls of the caller's tools that need approval
 * (`approvalTools`) wait for it.
 */
export function toStoredMessages(
	messages: OpenAIMessage[],
	options: { serverTools?: ReadonlySet<string>; approvalTools?: ReadonlySet<string> } = {}
): ConvertedHistory {
	const drafts: StoredDraft[] = [];
	const groups = new Map<StoredDraft, AssistantGroup>();
	let open: AssistantGroup | undefined;

	messages.forEach((message, index) => {
		switch (message.role) {
			case 'system':
			case 'developer':
				drafts.push({ role: 'system', parts: [{ type: 'text', text: textOf(message.content) }] });
				open = undefined;
				break;
			case 'user':
				drafts.push({ role: 'user', parts: userParts(message.content) });
				open = undefined;
				break;
			case 'assistant': {
				if (!open || !open.afterTool) {
					open = { parts: [], calls: new Map(), afterTool: false };
					const draft: StoredDraft = { role: 'assistant', parts: [] };
					drafts.push(draft);
					groups.set(draft, open);
				}
				open.afterTool = false;
				open.parts.push({ type: 'step-start' });
				for (const text of assistantTexts(message)) open.parts.push({ type: 'text', text, state: 'done' });
				(message.tool_calls ?? []).forEach((call, callIndex) => {
					if (open?.calls.has(call.id)) {
						throw new AppError('invalid_input', `The tool call id "${call.id}" is used twice in one answer.`, {
							field: `messages.${index}.tool_calls.${callIndex}.id`
						});
					}
					const part: ToolPart = {
						type: `tool-${call.function.name}`,
						toolCallId: call.id,
						state: 'input-available',
						input: parseJsonOrText(call.function.arguments)
					};
					open?.parts.push(part);
					open?.calls.set(call.id, { part, name: call.function.name, messageIndex: index });
				});
				break;
			}
			case 'tool': {
				const call = open?.calls.get(message.tool_call_id);
				if (!open || !call || call.answer) {
					throw new AppError(
						'invalid_input',
						`The tool message answers "${message.tool_call_id}", which is not a call of the assistant message before it (or is answered already).`,
						{ field: `messages.${index}.tool_call_id` }
					);
				}
				call.answer = { output: parseJsonOrText(textOf(message.content)), messageIndex: index };
				open.afterTool = true;
				break;
			}
		}
	});

	// The tool messages after the last message of another role end the history.
	const firstTrailing = messages.findLastIndex((message) => message.role !== 'tool') + 1;
	const endsWithTools = firstTrailing < messages.length;
	const trailingAnswers: ToolCallAnswer[] = [];
	const serverCalls: ServerCall[] = [];
	for (const [draft, group] of groups) {
		const isLast = endsWithTools && draft === drafts[drafts.length - 1];
		for (const call of group.calls.values()) {
			if (call.answer && call.answer.messageIndex < firstTrailing) {
				Object.assign(call.part, { state: 'output-available', output: call.answer.output });
				continue;
			}
			if (!isLast) {
				throw new AppError(
					'invalid_input',
					`The tool call "${call.part.toolCallId}" has no tool message answering it: send one after the assistant message.`,
					{ field: `messages.${call.messageIndex}.tool_calls` }
				);
			}
			if (call.answer) trailingAnswers.push({ toolCallId: call.part.toolCallId, output: call.answer.output });
			if (options.serverTools?.has(call.name)) {
				serverCalls.push({
					toolCallId: call.part.toolCallId,
					toolName: call.name,
					input: call.part.input,
					answered: call.answer !== undefined,
					field: call.answer ? `messages.${call.answer.messageIndex}.tool_call_id` : `messages.${call.messageIndex}.tool_calls`
				});
				continue;
			}
			if (options.approvalTools?.has(call.name)) {
				Object.assign(call.part, { state: 'approval-requested', approval: { id: `approval_${call.part.toolCallId}` } });
			}
		}
		draft.parts = group.parts as UIMessage['parts'];
	}
	return { messages: drafts, trailingAnswers, serverCalls };
}
