/** What the chat pages' keyboard shortcuts do. */
export interface ChatShortcutActions {
	/** Ctrl/Cmd+K: focus the sidebar's search. */
	search(): void;
	/** Ctrl/Cmd+Shift+O: start a new chat. */
	newChat(): void;
	/** Escape: stop the answer being written. */
	stop(): void;
}

/** Whether a menu or a dialog is open: Escape is theirs then. */
function somethingOpen(): boolean {
	return document.querySelector('[role="menu"], [role="dialog"], [role="alertdialog"], dialog[open]') !== null;
}

/**
 * The action a key press on a chat page asks for, or null. Escape counts only when nothing has
 * handled it already (a menu, a rename box, the composer) and no menu or dialog is open.
 */
export function chatShortcutOf(
	event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'defaultPrevented'>,
	isSomethingOpen: () => boolean = somethingOpen
): keyof ChatShortcutActions | null {
	const mod = event.ctrlKey || event.metaKey;
	const key = event.key.toLowerCase();
	if (mod && !event.altKey && !event.shiftKey && key === 'k') return 'search';
	if (mod && !event.altKey && event.shiftKey && key === 'o') return 'newChat';
	if (event.key === 'Escape' && !mod && !event.defaultPrevented && !isSomethingOpen()) return 'stop';
	return null;
}

/** Clicks the composer's Stop button when an answer is being written; says whether it did. */
export function clickStop(): boolean {
	const form = document.getElementById('chat-input')?.closest('form');
	const stop = [...(form?.querySelectorAll('button') ?? [])].find((button) => button.textContent?.trim() === 'Stop');
	stop?.click();
	return Boolean(stop);
}
