import type { UIMessage } from 'ai';
import { untrack } from 'svelte';
import { invalidateAll } from '$app/navigation';
import { followTask } from '$lib/components/chat/live-subscription';
import { TaskEventApplier } from '$lib/components/chat/task-event-applier.svelte';
import type { LiveMessage } from '$lib/server/live/task-event';
import type { MessageStatus } from '$lib/server/db/schema';
import { noTokenCounts, sumTokenCounts, type TokenCounts } from '$lib/usage/token-counts';

/** One message of the admin's task page, with what is stored beside it (its token counts among it). */
export interface AdminMessageEntry extends TokenCounts {
	message: UIMessage;
	info: { status: MessageStatus; error: string | null; model: string | null };
	createdAt: Date;
}

/** What the page loaded: the task, its messages and the live event id read with them. */
export interface AdminTaskLoad {
	taskId: string;
	messages: AdminMessageEntry[];
	liveEventId: string | null;
}

/**
 * The messages of the admin's task page, kept current while the page is open: new questions and
 * answers appear, and an answer streams in as it is written. Call while a component initialises.
 */
export function liveAdminTask(loaded: () => AdminTaskLoad): {
	readonly entries: AdminMessageEntry[];
	readonly totals: TokenCounts;
} {
	let entries = $state<AdminMessageEntry[]>(untrack(() => loaded().messages));
	/** What the live events said is stored beside each message they changed. */
	const stored = new Map<string, Omit<AdminMessageEntry, 'message'>>();

	const storedOf = (message: UIMessage): Omit<AdminMessageEntry, 'message'> =>
		stored.get(message.id) ??
		entries.find((entry) => entry.message.id === message.id) ?? {
			info: { status: 'streaming', error: null, model: null },
			...noTokenCounts(),
			createdAt: new Date()
		};

	const applier = new TaskEventApplier({
		messages: () => entries.map((entry) => entry.message),
		setMessages(messages) {
			entries = messages.map((message) => {
				const { info, inputTokens, outputTokens, reasoningTokens, cachedInputTokens, createdAt } = storedOf(message);
				return { message, info, inputTokens, outputTokens, reasoningTokens, cachedInputTokens, createdAt };
			});
		},
		setStored(message: LiveMessage) {
			stored.set(message.id, {
				info: { status: message.status, error: message.error, model: message.model },
				inputTokens: message.inputTokens,
				outputTokens: message.outputTokens,
				reasoningTokens: message.reasoningTokens,
				cachedInputTokens: message.cachedInputTokens,
				createdAt: new Date(message.createdAt)
			});
		},
		ownsAnswer: () => false,
		reload() {
			void invalidateAll();
		}
	});

	// Each load of the page (another task, a save, a reload after missed events) starts over
	// from the messages it read, following the task from the live event id read with them.
	$effect(() => {
		const { taskId, messages, liveEventId } = loaded();
		untrack(() => {
			stored.clear();
			entries = messages;
		});
		const stop = followTask(
			taskId,
			liveEventId,
			(event) => applier.apply(event),
			() => applier.clear()
		);
		return () => {
			stop();
			applier.clear();
		};
	});

	return {
		get entries() {
			return entries;
		},
		get totals() {
			return sumTokenCounts(entries);
		}
	};
}
