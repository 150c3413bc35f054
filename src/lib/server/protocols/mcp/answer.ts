import type { PendingToolCall, RunEndReason, RunEvent } from '../../runtime/events';
import { TextJoiner } from '../../runtime/text-joiner';

/** How often, at most, progress carries the text so far while an answer streams. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * An answer as its run events arrive: its text so far (the texts of its steps joined as the chat
 * shows them), and how it ended.
 */
export class AnswerText {
	text = '';
	error: string | undefined;
	pending: PendingToolCall[] = [];
	/** Why the run ended; undefined while it goes on (or when it failed). */
	endReason: RunEndReason | undefined;
	private readonly joiner = new TextJoiner();

	/** Reads one event; true when the text grew. */
	add(event: RunEvent): boolean {
		switch (event.type) {
			case 'run-error':
				this.error = event.message;
				break;
			case 'input-required':
				this.pending = event.toolCalls;
				break;
			case 'run-end':
				this.endReason = event.reason;
				break;
			default:
				break;
		}
		const added = this.joiner.textOf(event) ?? '';
		this.text += added;
		return added !== '';
	}
}

/**
 * When to report progress: the text so far, at most once every `intervalMs`, and always the last
 * text once the answer ends (when it was not reported yet).
 */
export class ProgressThrottle {
	private lastAt = -Infinity;
	private sentLength = -1;

	constructor(private readonly intervalMs = PROGRESS_INTERVAL_MS) {}

	/** Whether text of `length` characters, at `now` (ms), is reported now. */
	due(length: number, now: number): boolean {
		if (length === this.sentLength || now - this.lastAt < this.intervalMs) return false;
		this.mark(length, now);
		return true;
	}

	/** Whether the final text of `length` characters still needs reporting. */
	final(length: number, now: number): boolean {
		if (length === this.sentLength) return false;
		this.mark(length, now);
		return true;
	}

	private mark(length: number, now: number) {
		this.lastAt = now;
		this.sentLength = length;
	}
}

/**
 * Reads a run's events to the end as the answer of an agent's tool in task `taskId`, calling
 * `report` with the text so far as it grows (throttled by {@link ProgressThrottle}, and once more
 * with the whole text at the end when that was not reported yet).
 */
export async function readAnswer(
	events: ReadableStream<RunEvent>,
	report?: (text: string) => Promise<void>,
	options: { intervalMs?: number; now?: () => number } = {}
): Promise<AnswerText> {
	const answer = new AnswerText();
	const throttle = new ProgressThrottle(options.intervalMs);
	const now = options.now ?? Date.now;
	for await (const event of events) {
		if (answer.add(event) && report && throttle.due(answer.text.length, now())) await report(answer.text);
	}
	if (report && answer.text !== '' && throttle.final(answer.text.length, now())) await report(answer.text);
	return answer;
}
