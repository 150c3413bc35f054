import type { LanguageModelV3Message, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { parseFileDescriptionPart, parseFileTextPart } from '../../files/file-text-part';

/** A user message of the prompt. */
export type UserMessage = Extract<LanguageModelV3Message, { role: 'user' }>;
/** A tool message of the prompt (tool results). */
export type ToolMessage = Extract<LanguageModelV3Message, { role: 'tool' }>;

/** The last message with role `user`, if any. */
export function lastUserMessage(prompt: LanguageModelV3Prompt): UserMessage | undefined {
	return prompt.findLast((message): message is UserMessage => message.role === 'user');
}

/**
 * The text parts of a user message, joined; a document's text, or a file described in a line,
 * sent as a text part is an attachment, not the question.
 */
export function userText(message: UserMessage): string {
	return message.content
		.flatMap((part) => (part.type === 'text' && !parseFileTextPart(part.text) && !parseFileDescriptionPart(part.text) ? [part.text] : []))
		.join('\n')
		.trim();
}

/** How many tool calls the assistant already made in this conversation. */
export function countToolCalls(prompt: LanguageModelV3Prompt): number {
	let count = 0;
	for (const message of prompt) {
		if (message.role !== 'assistant') continue;
		count += message.content.filter((part) => part.type === 'tool-call').length;
	}
	return count;
}
