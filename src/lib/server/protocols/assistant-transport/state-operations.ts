import type { UIMessage } from 'ai';
import type { RunEndReason, RunEvent } from '../../runtime/events';
import { MessagePartsBuilder } from '../../runtime/message-parts';
import { toStateParts, type StateMessage, type StateMessageStatus, type StatePart } from './state-message';

/** One change to the client's state, as assistant-stream applies it (paths of strings). */
export type StateOperation = { type: 'set'; path: string[]; value: unknown } | { type: 'append-text'; path: string[]; value: string };

/** The status an answer ends with, by why its run ended. */
const endStatus: Record<RunEndReason, StateMessageStatus> = {
	completed: { type: 'complete', reason: 'stop' },
	'awaiting-input': { type: 'requires-action', reason: 'tool-calls' },
	limit: { type: 'incomplete', reason: 'length' },
	interrupted: { type: 'incomplete', reason: 'cancelled' }
};

/** What the state of a thread holds when its answer starts streaming. */
export interface StateOperationsInput {
	taskId: string;
	/** The thread's messages before the answer. */
	history: StateMessage[];
	/** The answer being written: its id and the parts it already has (a continued answer). */
	answer: { id: string; parts: UIMessage['parts'] };
}

/**
 * Keeps `state.taskId` and `state.messages` current while an answer streams. `start` sets both
 * (whatever the client sent, the stored thread wins); then each run event becomes the smallest
 * operations that change the answer's content as the stored message changes: `append-text` while
 * text or reasoning grows, `set` for a new or changed part, and `set` of its status at the end.
 */
export class StateOperations {
	private readonly parts: MessagePartsBuilder;
	private content: StatePart[];
	private readonly path: string[];

	constructor(private readonly input: StateOperationsInput) {
		this.parts = new MessagePartsBuilder(input.answer.parts);
		this.content = toStateParts(this.parts.parts);
		this.path = ['messages', String(input.history.length)];
	}

	/** The operations that bring the client's state to the stored thread, the answer last and running. */
	start(): StateOperation[] {
		const answer: StateMessage = {
			id: this.input.answer.id,
			role: 'assistant',
			content: this.content,
			status: { type: 'running' }
		};
		return [
			{ type: 'set', path: ['taskId'], value: this.input.taskId },
			{ type: 'set', path: ['messages'], value: [...this.input.history, answer] }
		];
	}

	/** The operations one run event makes; none for most events that do not change the content. */
	apply(event: RunEvent): StateOperation[] {
		this.parts.apply(event);
		const delta = this.appendDelta(event);
		if (delta) return [delta];
		const next = toStateParts(this.parts.parts);
		const operations = diffContent(this.content, next, [...this.path, 'content']);
		this.content = next;
		if (event.type === 'run-end') {
			operations.push({ type: 'set', path: [...this.path, 'status'], value: endStatus[event.reason] });
		} else if (event.type === 'run-error') {
			operations.push({
				type: 'set',
				path: [...this.path, 'status'],
				value: { type: 'incomplete', reason: 'error', error: event.message } satisfies StateMessageStatus
			});
		}
		return operations;
	}

	/**
	 * A text or reasoning delta only grows the part that streams, the last of its kind: the
	 * append is made directly, rather than by rebuilding and comparing every part, which would
	 * cost more the longer the answer grows.
	 */
	private appendDelta(event: RunEvent): StateOperation | undefined {
		if (event.type !== 'text-delta' && event.type !== 'reasoning-delta') return undefined;
		const kind = event.type === 'text-delta' ? 'text' : 'reasoning';
		const index = this.content.findLastIndex((part) => part.type === kind);
		const part = this.content[index];
		if (!part || (part.type !== 'text' && part.type !== 'reasoning')) return undefined;
		this.content[index] = { ...part, text: part.text + event.delta };
		return { type: 'append-text', path: [...this.path, 'content', String(index), 'text'], value: event.delta };
	}
}

/** The operations that turn one content list into the next, which only grows or changes in place. */
function diffContent(previous: StatePart[], next: StatePart[], path: string[]): StateOperation[] {
	const operations: StateOperation[] = [];
	next.forEach((part, index) => {
		const before = previous[index];
		const partPath = [...path, String(index)];
		if (before && JSON.stringify(before) === JSON.stringify(part)) return;
		if (before && (part.type === 'text' || part.type === 'reasoning') && before.type === part.type && part.text.startsWith(before.text)) {
			operations.push({ type: 'append-text', path: [...partPath, 'text'], value: part.text.slice(before.text.length) });
			return;
		}
		operations.push({ type: 'set', path: partPath, value: part });
	});
	return operations;
}
