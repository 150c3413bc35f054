import type { ChatStatus, UIMessage } from 'ai';
import { untrack } from 'svelte';
import { invalidateAll } from '$app/navigation';
import type { TaskEvent } from '$lib/server/live/task-event';
import { followTask } from './live-subscription';
import { TaskEventApplier } from './task-event-applier.svelte';
import type { StoredMessageInfo } from './types';

/** What the view keeps about a stored message beside its parts. */
export function storedInfo(message: StoredMessageInfo): StoredMessageInfo {
	return { status: message.status, error: message.error, model: message.model, versions: message.versions };
}

/** What the live view of a chat needs. */
export interface LiveTaskOptions {
	taskId: string;
	/** The chat (the AI SDK's, or one that fetches it on demand): what this reads and sets of it. */
	chat: { messages: UIMessage[]; readonly status: ChatStatus; resumeStream(): Promise<void> };
	/** What the server stored about each message, by id; kept current. */
	info: Record<string, StoredMessageInfo>;
	/** The live event id read with the task's messages, to follow the task from. */
	since: () => string | null | undefined;
	/** The task's messages and whether it runs, as the page last loaded them. */
	loaded: () => { messages: (UIMessage & StoredMessageInfo)[]; running: boolean };
	/** Whether the task exists (a new task's view waits for its first answer). */
	exists: () => boolean;
}

/**
 * Keeps a chat current with what happens on its task elsewhere (another tab or device, another
 * face): new questions appear and answers stream in as this view's own would. Answers this view
 * streams itself (its own request, a resumed run) are taken from its own stream, never twice;
 * live events that come meanwhile wait until that stream ends. Call while a component initialises.
 */
export function liveTask(options: LiveTaskOptions): { readonly streaming: boolean; readonly status: ChatStatus } {
	const { chat, info } = options;
	/** Answers this chat streamed itself. */
	const own = new Set<string>();
	/** Events that came while this chat streamed its own answer or reloaded. */
	const waiting: TaskEvent[] = [];
	let wasBusy = false;
	let reloading = false;
	const busy = () => chat.status === 'submitted' || chat.status === 'streaming';
	// The page resumes the answer that was streaming when it loaded: live chunks need not.
	const resumedOnLoad = untrack(() => {
		const { messages, running } = options.loaded();
		return running ? messages.findLast((message) => message.status === 'streaming')?.id : undefined;
	});

	const applier = new TaskEventApplier({
		messages: () => chat.messages,
		// Statements, not expressions: the value of an assignment to state is not the state (Svelte
		// warns `assignment_value_stale` in development).
		setMessages: (messages) => {
			chat.messages = messages;
		},
		setStored: (message) => {
			info[message.id] = storedInfo(message);
		},
		ownsAnswer: (messageId) => own.has(messageId) || (busy() && chat.messages.at(-1)?.id === messageId),
		keepUnstored: (message) => chat.status === 'error' && chat.messages.at(-1)?.id === message.id,
		missedStart: (messageId) => {
			if (messageId !== resumedOnLoad && !busy()) void chat.resumeStream();
		},
		reload: () => void reload()
	});

	function receive(event: TaskEvent) {
		if (busy() || wasBusy || reloading) waiting.push(event);
		else applier.apply(event);
	}

	function drain() {
		while (waiting.length > 0 && !busy() && !reloading) applier.apply(waiting.shift()!);
	}

	/** Reads the task's messages again after missed events; an answer still streaming is resumed. */
	async function reload() {
		reloading = true;
		try {
			await invalidateAll();
			if (busy()) return;
			const { messages, running } = options.loaded();
			chat.messages = running ? messages.filter((message) => message.status !== 'streaming') : messages;
			for (const message of messages) info[message.id] = storedInfo(message);
			if (running) void chat.resumeStream();
		} finally {
			reloading = false;
			drain();
		}
	}

	// When this chat's own stream ends, its answer is known as its own; then what waited is applied.
	$effect(() => {
		const nowBusy = busy();
		untrack(() => {
			if (nowBusy) {
				wasBusy = true;
				return;
			}
			if (wasBusy) {
				wasBusy = false;
				const last = chat.messages.at(-1);
				if (last?.role === 'assistant') own.add(last.id);
			}
			drain();
		});
	});

	let following = $state(false);
	$effect(() => {
		if (!following && options.exists()) following = true;
	});
	$effect(() => {
		if (!following) return;
		const since = untrack(() => options.since() ?? null);
		const stop = followTask(options.taskId, since, receive, () => applier.clear());
		return () => {
			stop();
			applier.clear();
		};
	});

	return {
		get streaming() {
			return applier.streaming !== null;
		},
		/** The chat's status, `streaming` while an answer streams in from elsewhere. */
		get status() {
			return chat.status === 'ready' && applier.streaming !== null ? 'streaming' : chat.status;
		}
	};
}
