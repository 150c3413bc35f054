import type { RunEvent } from './events';

/** What separates two texts of one answer in plain text: a blank line, as the chat shows them. */
export const TEXT_SEPARATOR = '\n\n';

/**
 * Joins an answer's texts into one plain text as the chat shows them: each text part (the text
 * of a step, around the tool calls the agent runs) is a paragraph of its own, so a text that
 * follows earlier text starts after a blank line. Faces that send the answer as one text (Chat
 * Completions, the agent API, the WebSocket chat) read every run event through one joiner.
 */
export class TextJoiner {
	private wroteText = false;
	/** Whether the next text starts a new part (a step or a text part began since the last text). */
	private newPart = true;

	/**
	 * The text a run event adds to the plain text: a text delta's, after the separator when it
	 * opens a new part that follows earlier text; `undefined` for every other event.
	 */
	textOf(event: RunEvent): string | undefined {
		if (event.type === 'step-start' || event.type === 'text-start') {
			this.newPart = true;
			return undefined;
		}
		if (event.type !== 'text-delta') return undefined;
		if (event.delta === '') return '';
		const text = this.newPart && this.wroteText ? TEXT_SEPARATOR + event.delta : event.delta;
		this.newPart = false;
		this.wroteText = true;
		return text;
	}
}
