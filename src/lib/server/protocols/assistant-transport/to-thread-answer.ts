import type { RunEvent } from '../../runtime/events';
import type { StoredMessage } from '../../services/messages';
import type { CallerTurnResult } from '../../turns/start-caller-turn';
import type { ThreadAnswer } from './response';
import { toStateMessage } from './state-message';
import { StateOperations } from './state-operations';

/** The answer to a request, and the task (thread) it belongs to. */
export interface ThreadTurn extends ThreadAnswer {
	taskId: string;
}

/**
 * The answer to a request, given the thread's messages once the turn started: a running answer
 * (its events, stopping the run when the caller goes away) after the history, or, when tool
 * results were stored but other calls still wait, the state and the wait.
 */
export function toThreadAnswer(turn: CallerTurnResult, messages: StoredMessage[]): ThreadTurn {
	const taskId = turn.task.id;
	if (turn.kind === 'waiting') {
		const last = messages[messages.length - 1];
		return {
			taskId,
			events: awaitingInput(),
			state: new StateOperations({
				taskId,
				history: messages.slice(0, -1).map(toStateMessage),
				answer: { id: last.id, parts: last.parts }
			})
		};
	}
	const { run } = turn;
	return {
		taskId,
		events: run.subscribe({ onCancel: () => run.stop('caller-gone') }),
		state: new StateOperations({
			taskId,
			history: messages.filter((message) => message.id !== run.messageId).map(toStateMessage),
			answer: { id: run.messageId, parts: turn.parts }
		})
	};
}

/** The events of an answer that waits for the caller: it ends at once. */
function awaitingInput(): ReadableStream<RunEvent> {
	return new ReadableStream<RunEvent>({
		start(controller) {
			controller.enqueue({
				type: 'run-end',
				reason: 'awaiting-input',
				usage: { inputTokens: undefined, outputTokens: undefined }
			});
			controller.close();
		}
	});
}
