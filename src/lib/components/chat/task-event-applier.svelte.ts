import type { UIMessage, UIMessageChunk } from 'ai';
import type { LiveMessage, TaskEvent } from '$lib/server/live/task-event';

/** A list of messages that a task's live events keep current. */
export interface LiveMessageList {
	/** The messages shown now, in order. */
	messages(): UIMessage[];
	/** Shows these messages, in this order. */
	setMessages(messages: UIMessage[]): void;
	/** Records what the server stored about a message beside its parts (status, error, model…). */
	setStored(message: LiveMessage): void;
	/** Whether this view streams the answer itself (from its own request): live copies of it are skipped until it is stored. */
	ownsAnswer(messageId: string): boolean;
	/** Whether to keep a shown message the server has not stored (a question that could not be sent). */
	keepUnstored?(message: UIMessage): boolean;
	/** The view missed the start of an answer streaming elsewhere and cannot build it from chunks. */
	missedStart?(messageId: string): void;
	/** The view has missed events: read the task's messages again. */
	reload(): void;
}

interface AnswerStream {
	controller: ReadableStreamDefaultController<UIMessageChunk>;
	closed: boolean;
}

/** The UIMessage form of a live message. */
function uiMessageOf(message: LiveMessage): UIMessage {
	return { id: message.id, role: message.role, parts: message.parts };
}

/**
 * Applies a task's live events to a list of messages: stored messages replace shown ones by id
 * and in the server's order; an answer streaming elsewhere is built from its chunks with the AI
 * SDK's `readUIMessageStream`, as its own stream would build it, until its stored form comes.
 */
export class TaskEventApplier {
	/** The answer streaming elsewhere that this view shows as it comes, if any. */
	streaming = $state<string | null>(null);
	private readonly streams = new Map<string, AnswerStream>();
	private readonly missed = new Set<string>();

	constructor(private readonly list: LiveMessageList) {}

	apply(event: TaskEvent): void {
		switch (event.type) {
			case 'messages':
				return this.applyMessages(event.messages, event.order);
			case 'chunk':
				return this.applyChunk(event.messageId, event.chunk);
			case 'run-end':
				this.endStream(event.messageId);
				if (this.streaming === event.messageId) this.streaming = null;
				return;
			case 'reset':
				this.clear();
				return this.list.reload();
			default: {
				const unknown: never = event;
				throw new Error(`Unknown live event ${JSON.stringify(unknown)}`);
			}
		}
	}

	/** Stops building answers from chunks (the view is reloading or going away). */
	clear(): void {
		for (const id of [...this.streams.keys()]) this.endStream(id);
		this.streaming = null;
	}

	private applyMessages(messages: LiveMessage[], order: string[]): void {
		const shown = this.list.messages();
		const byId = new Map(shown.map((message) => [message.id, message]));
		for (const message of messages) {
			const draft = message.status === 'streaming';
			// What streams here (from this view's request, or from chunks) is newer than a stored draft.
			if (draft && (this.list.ownsAnswer(message.id) || this.streams.has(message.id))) continue;
			if (!draft) this.endStream(message.id);
			byId.set(message.id, uiMessageOf(message));
			this.list.setStored(message);
			if (draft && message.role === 'assistant') this.streaming = message.id;
			else if (this.streaming === message.id) this.streaming = null;
		}
		if (order.some((id) => !byId.has(id))) {
			// Messages stored while this view was not told (another face, a gap): read them all.
			this.clear();
			return this.list.reload();
		}
		const stored = new Set(order);
		const unstored = shown.filter((message) => !stored.has(message.id) && this.list.keepUnstored?.(message));
		this.list.setMessages([...order.map((id) => byId.get(id)!), ...unstored]);
	}

	private applyChunk(messageId: string, chunk: UIMessageChunk): void {
		if (this.list.ownsAnswer(messageId)) return;
		let stream = this.streams.get(messageId);
		if (!stream) {
			if (chunk.type !== 'start') {
				if (!this.missed.has(messageId)) {
					this.missed.add(messageId);
					this.list.missedStart?.(messageId);
				}
				return;
			}
			stream = this.openStream(messageId);
		}
		stream.controller.enqueue(chunk);
	}

	/** Builds an answer from its chunks, showing each state of it as it comes. */
	private openStream(messageId: string): AnswerStream {
		let controller!: ReadableStreamDefaultController<UIMessageChunk>;
		const chunks = new ReadableStream<UIMessageChunk>({ start: (own) => (controller = own) });
		const stream: AnswerStream = { controller, closed: false };
		this.streams.set(messageId, stream);
		this.streaming = messageId;
		// A continued answer (after tool outputs) goes on from the parts it has.
		const shown = this.list.messages().find((message) => message.id === messageId && message.role === 'assistant');
		const message = shown ? ($state.snapshot(shown) as UIMessage) : undefined;
		void (async () => {
			try {
				// The SDK's code is fetched on demand; chunks wait in the stream meanwhile.
				const { readUIMessageStream } = await import('./chat-sdk');
				for await (const snapshot of readUIMessageStream<UIMessage>({ message, stream: chunks })) {
					if (stream.closed) break;
					this.show(snapshot);
				}
			} catch {
				// A broken chunk stream leaves the answer as it was; its stored form follows.
			}
		})();
		return stream;
	}

	private endStream(messageId: string): void {
		const stream = this.streams.get(messageId);
		if (!stream) return;
		stream.closed = true;
		this.streams.delete(messageId);
		try {
			stream.controller.close();
		} catch {
			// already closed
		}
	}

	/** Shows a message in the place of the one with its id, or last. */
	private show(message: UIMessage): void {
		const shown = this.list.messages();
		const at = shown.findIndex((candidate) => candidate.id === message.id);
		this.list.setMessages(at < 0 ? [...shown, message] : shown.map((candidate, index) => (index === at ? message : candidate)));
	}
}
