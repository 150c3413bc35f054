/**
 * The state of one `<parley-chat>`: the conversation, what it is doing (checking the agent,
 * sending, streaming), the last failure and the composer's text, with the actions that change
 * them — open, send, stop, start over, answer a widget or an approval. ParleyChat.svelte renders
 * it; the view hands in how to follow the log and where to put the focus.
 */
import { untrack } from 'svelte';
import { WIDGET_PART_TYPE, WIDGET_SUBMIT_PART_TYPE, type WidgetSubmission } from '$lib/widgets/contract';
import { ChatClient, describeFailure, NETWORK_FAILURE, randomId, type RequestFailure } from './chat-client';
import {
	createAssembler,
	isToolPart,
	parseChunk,
	readSseData,
	type ChatMessage,
	type ChatPart,
	type ToolPart,
	type WidgetPart
} from './ui-stream';

/** `checking` while the agent and the history load; `sending` until the answer starts. */
export type ChatPhase = 'checking' | 'ready' | 'sending' | 'streaming';

/** What the state asks of the view around it. */
export interface ChatView {
	/** Scrolls the log to its end: when `force`, even if the reader had scrolled up. */
	scrollToEnd(force?: boolean): void;
	/** Puts the focus in the composer. */
	focusComposer(): void;
}

/** Whether a part shows something (reasoning is folded away, empty text is nothing yet). */
function visible(part: ChatPart): boolean {
	return part.type === 'text' ? part.text.length > 0 : part.type !== 'reasoning';
}

/** The tool call of a message with this id. */
export function toolOf(message: ChatMessage, toolCallId: string): ToolPart | undefined {
	return message.parts.find((part): part is ToolPart => isToolPart(part) && part.toolCallId === toolCallId);
}

/** A user message's text, its text parts one per line. */
export function textOf(message: ChatMessage): string {
	return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

export class WidgetChat {
	messages = $state<ChatMessage[]>([]);
	phase = $state<ChatPhase>('checking');
	failure = $state<RequestFailure | null>(null);
	/** The composer's text. */
	input = $state('');

	readonly busy = $derived(this.phase === 'sending' || this.phase === 'streaming');
	readonly refused = $derived(this.failure?.refused === true);
	readonly lastAnswer = $derived(this.messages.findLast((message) => message.role === 'assistant'));
	/** Whether an answer is on its way but shows nothing yet (the typing dots). */
	readonly waiting = $derived(
		this.busy && (this.lastAnswer === undefined || this.messages.at(-1)?.role === 'user' || !this.lastAnswer.parts.some(visible))
	);

	/** Widgets already answered: by a later user message, or by their tool call's output. */
	readonly submissions = $derived.by(() => {
		const found = new Map<string, WidgetSubmission>();
		for (const message of this.messages) {
			for (const part of message.parts) {
				if (part.type === WIDGET_SUBMIT_PART_TYPE) found.set(part.data.widgetId, part.data);
				if (part.type === WIDGET_PART_TYPE && part.data.toolCallId) {
					const call = toolOf(message, part.data.toolCallId);
					if (call?.state === 'output-available') {
						found.set(part.id, { widgetId: part.id, type: part.data.type, value: call.output });
					}
				}
			}
		}
		return found;
	});

	#client: ChatClient | undefined;
	#view: ChatView;
	/** The request in flight, if any, and the task it writes to. */
	#current: { controller: AbortController; taskId: string } | null = null;

	constructor(view: ChatView) {
		this.#view = view;
	}

	/**
	 * Starts over with a client (a new agent or server): is the agent open to us, and is there a
	 * conversation to continue? Without one, says what the element lacks (`slug` tells which).
	 * Returns what stops the loading; reads no state, so an effect may call it.
	 */
	connect(client: ChatClient | undefined, slug: string): (() => void) | undefined {
		return untrack(() => {
			this.#client = client;
			this.#current?.controller.abort();
			this.#current = null;
			this.messages = [];
			this.input = '';
			if (!client) {
				this.phase = 'ready';
				this.failure = slug
					? { refused: true, title: 'The chat server is not known.', detail: 'Set server="https://…" on <parley-chat>.' }
					: { refused: true, title: 'No agent is set.', detail: 'Add agent="slug" to <parley-chat>.' };
				return undefined;
			}
			const controller = new AbortController();
			void this.#open(client, controller.signal);
			return () => controller.abort();
		});
	}

	async #open(chat: ChatClient, signal: AbortSignal) {
		this.phase = 'checking';
		this.failure = null;
		try {
			const check = await chat.checkAgent(signal);
			if (!check.ok) {
				this.failure = await describeFailure(check);
				if (this.failure.refused) return;
			}
			const taskId = chat.taskId;
			if (taskId) {
				const history = chat.anonymousId ? await chat.history(taskId, signal) : null;
				if (!history) chat.taskId = null;
				else {
					this.messages = history.messages;
					if (history.running) void this.#resume(chat, taskId);
				}
			}
		} catch {
			if (!signal.aborted) this.failure = NETWORK_FAILURE;
		} finally {
			if (!signal.aborted && this.phase === 'checking') this.phase = 'ready';
			this.#view.scrollToEnd(true);
		}
	}

	/** Follows an answer that was still being written when the page was left. */
	async #resume(chat: ChatClient, taskId: string) {
		const controller = new AbortController();
		this.#current = { controller, taskId };
		this.phase = 'sending';
		try {
			const response = await chat.resume(taskId, controller.signal);
			if (response.status !== 200 || !response.body) return;
			this.messages.push({ id: randomId('answer_'), role: 'assistant', parts: [], status: 'streaming' });
			await this.#readAnswer(response, this.messages[this.messages.length - 1], controller);
		} catch {
			// The stored history is what there is.
		} finally {
			if (this.#current?.controller === controller) {
				this.#current = null;
				this.phase = 'ready';
			}
		}
	}

	/**
	 * Sends a message and streams the answer into the conversation: a user message adds a new
	 * answer; the assistant's own message (with a tool output or an approval) continues it.
	 */
	async #post(message: ChatMessage, restoreInput?: string) {
		const chat = this.#client;
		if (!chat || this.busy || this.refused) return;
		const isNewTask = chat.taskId === null;
		const taskId = chat.taskId ?? randomId('chat_', 18);
		chat.taskId = taskId;
		const controller = new AbortController();
		this.#current = { controller, taskId };
		this.failure = null;
		this.phase = 'sending';
		if (message.role === 'user') this.messages.push(message);
		this.#view.scrollToEnd(true);

		/** Takes a refused message back: the question returns to the composer. */
		const undo = () => {
			if (message.role === 'user') {
				const index = this.messages.findLastIndex((candidate) => candidate.id === message.id);
				if (index >= 0) this.messages.splice(index, 1);
				if (restoreInput && !this.input) this.input = restoreInput;
			}
			if (isNewTask) chat.taskId = null;
		};

		try {
			const response = await chat.send(taskId, { id: message.id, role: message.role, parts: message.parts }, controller.signal);
			if (!response.ok || !response.body) {
				this.failure = await describeFailure(response);
				undo();
				return;
			}
			let answer = message.role === 'assistant' ? this.messages.find((candidate) => candidate.id === message.id) : undefined;
			if (!answer) {
				this.messages.push({ id: randomId('answer_'), role: 'assistant', parts: [], status: 'streaming' });
				answer = this.messages[this.messages.length - 1];
			}
			await this.#readAnswer(response, answer, controller);
		} catch {
			if (!controller.signal.aborted) {
				this.failure = NETWORK_FAILURE;
				if (this.phase === 'sending') undo();
			}
		} finally {
			if (this.#current?.controller === controller) this.#current = null;
			this.phase = 'ready';
			if (!this.refused) this.#view.focusComposer();
		}
	}

	async #readAnswer(response: Response, answer: ChatMessage, controller: AbortController) {
		this.phase = 'streaming';
		answer.status = 'streaming';
		answer.error = undefined;
		const assembler = createAssembler(answer);
		try {
			for await (const data of readSseData(response.body!)) {
				const chunk = parseChunk(data);
				if (chunk) assembler.apply(chunk);
				this.#view.scrollToEnd();
			}
		} catch {
			if (!controller.signal.aborted) answer.error = 'The connection was lost before the answer ended.';
		}
		assembler.close();
		const end = assembler.end;
		answer.status =
			end?.type === 'error' || answer.error ? 'error' : end?.type === 'finish' && !controller.signal.aborted ? 'complete' : 'interrupted';
	}

	/** Sends what the composer holds. */
	submit() {
		const text = this.input.trim();
		if (!text || this.busy || this.refused) return;
		this.input = '';
		void this.#post({ id: randomId('msg_'), role: 'user', parts: [{ type: 'text', text }] }, text);
	}

	/** Stops the answer being written. */
	stop() {
		const running = this.#current;
		if (!running) return;
		running.controller.abort();
		// The run belongs to the server: closing the stream alone would let it run on.
		void this.#client?.stop(running.taskId);
	}

	/** Starts a new conversation (the next message creates a new task). */
	newConversation() {
		if (this.busy || !this.#client) return;
		this.#client.taskId = null;
		this.messages = [];
		this.failure = null;
		this.#view.focusComposer();
	}

	/** Sends a widget's value: as the output of the tool call it answers, else as a message. */
	answerWidget(message: ChatMessage, part: WidgetPart, submission: WidgetSubmission, label: string) {
		const toolCallId = part.data.toolCallId;
		if (!toolCallId) {
			void this.#post({
				id: randomId('msg_'),
				role: 'user',
				parts: [
					{ type: 'text', text: label },
					{ type: WIDGET_SUBMIT_PART_TYPE, data: submission }
				]
			});
			return;
		}
		const call = toolOf(message, toolCallId);
		const toolName = part.data.toolName ?? call?.toolName ?? 'widget';
		if (call) Object.assign(call, { state: 'output-available', output: submission.value });
		void this.#post({
			id: message.id,
			role: 'assistant',
			parts: [{ type: `tool-${toolName}`, toolCallId, toolName, state: 'output-available', input: call?.input, output: submission.value }]
		});
	}

	/** Answers a tool call's request for approval. */
	approve(message: ChatMessage, call: ToolPart, approved: boolean) {
		if (!call.approval) return;
		const approval = { id: call.approval.id, approved };
		Object.assign(call, { state: 'approval-responded', approval });
		void this.#post({
			id: message.id,
			role: 'assistant',
			parts: [
				{ type: call.type, toolCallId: call.toolCallId, toolName: call.toolName, state: 'approval-responded', input: call.input, approval }
			]
		});
	}
}
