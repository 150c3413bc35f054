import type { UIMessage, UIMessageChunk } from 'ai';
import type { MessageStatus } from '../db/schema';

/** A stored message as viewers of a task see it: its UIMessage form and what is stored beside it. */
export type LiveMessage = UIMessage & {
	status: MessageStatus;
	error: string | null;
	model: string | null;
	inputTokens: number | null;
	outputTokens: number | null;
	/** Output tokens spent on reasoning, where the model reported them (part of `outputTokens`). */
	reasoningTokens: number | null;
	/** Input tokens read from the provider's prompt cache, where reported (part of `inputTokens`). */
	cachedInputTokens: number | null;
	/** When it was stored, in milliseconds since the epoch. */
	createdAt: number;
	/**
	 * The ids of its versions (itself included, in the order written) when it has more than one:
	 * an edited question or a regenerated answer has a version per edit.
	 */
	versions?: string[];
};

/**
 * What everyone viewing a task is told, in order. The streaming answer comes as AI SDK UI message
 * chunks, from which `readUIMessageStream` builds the message as the answer's own stream would.
 */
export type TaskEvent =
	/**
	 * Stored messages appeared or changed. `order` is the id of every message of the task's history
	 * (its active branch), in order, after the change: messages it leaves out are no longer in it
	 * (another version of a message was chosen, or made by an edit or a regeneration).
	 */
	| { type: 'messages'; messages: LiveMessage[]; order: string[] }
	/** A chunk of the answer being streamed into the message `messageId`. */
	| { type: 'chunk'; messageId: string; chunk: UIMessageChunk }
	/** The run that wrote `messageId` ended; its stored form came just before, in `messages`. */
	| { type: 'run-end'; messageId: string; status: MessageStatus }
	/** Events were missed and are no longer kept: read the task's messages again. */
	| { type: 'reset' };

/** An event with its id in the task's feed. */
export interface FeedEntry {
	id: string;
	event: TaskEvent;
}
