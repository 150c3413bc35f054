/**
 * The one server-sent event reader of the browser code: the playground reads every face's stream
 * with it, and the embeddable widget its chat stream. It stays small and imports nothing, since
 * the widget's bundle has a budget.
 */

/** One server-sent event (or a comment), as the WHATWG rules read it. */
export interface SseMessage {
	/** The `event:` field, when there was one. */
	event?: string;
	id?: string;
	/** The `data:` lines joined with line breaks. */
	data: string;
	/** Whether the block held `data:` lines (a comment-only block has none). */
	hasData: boolean;
	/** Comment lines (`: keep-alive`), without their colon. */
	comments: string[];
	/** The block's lines as they arrived, joined with `\n`. */
	raw: string;
}

/**
 * An incremental SSE reader: feed it text as it arrives and it returns each event whose blank
 * line has arrived. Lines may end with CRLF, LF or CR; a CR at the end of a chunk waits for the
 * next one, since an LF may follow it.
 */
export class SseParser {
	private buffer = '';
	private lines: string[] = [];

	/** The events completed by `text`. */
	push(text: string): SseMessage[] {
		this.buffer += text;
		const messages: SseMessage[] = [];
		for (;;) {
			const match = /\r\n|\r|\n/.exec(this.buffer);
			if (!match) break;
			// A lone CR at the very end might be the first half of CRLF.
			if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
			const line = this.buffer.slice(0, match.index);
			this.buffer = this.buffer.slice(match.index + match[0].length);
			if (line === '') {
				const message = this.dispatch();
				if (message) messages.push(message);
			} else {
				this.lines.push(line);
			}
		}
		return messages;
	}

	/** At the end of the body: an event left without its blank line, if any. */
	end(): SseMessage[] {
		if (this.buffer !== '') this.lines.push(this.buffer.replace(/\r$/, ''));
		this.buffer = '';
		const message = this.dispatch();
		return message ? [message] : [];
	}

	private dispatch(): SseMessage | undefined {
		const lines = this.lines;
		this.lines = [];
		if (lines.length === 0) return undefined;
		const message: SseMessage = { data: '', hasData: false, comments: [], raw: lines.join('\n') };
		const data: string[] = [];
		for (const line of lines) {
			if (line.startsWith(':')) {
				message.comments.push(line.slice(1).replace(/^ /, ''));
				continue;
			}
			const colon = line.indexOf(':');
			const field = colon < 0 ? line : line.slice(0, colon);
			const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
			if (field === 'data') data.push(value);
			else if (field === 'event') message.event = value;
			else if (field === 'id') message.id = value;
		}
		message.hasData = data.length > 0;
		message.data = data.join('\n');
		return message;
	}
}
