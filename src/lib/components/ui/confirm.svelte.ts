/** What a confirmation asks. */
export interface ConfirmOptions {
	title: string;
	/** What will happen, in a sentence or two. */
	description: string;
	/** The confirming button's label, such as "Delete". */
	confirmLabel: string;
	/** Whether the action destroys something (a red button). Defaults to true. */
	destructive?: boolean;
}

interface Pending extends ConfirmOptions {
	resolve: (confirmed: boolean) => void;
}

/** The confirmation on screen, if any; shown by `ConfirmHost` in the root layout. */
export const confirmation = $state<{ current: Pending | null }>({ current: null });

/**
 * Asks the person to confirm an action in a dialog, and answers whether they did. Used in form
 * `enhance` callbacks: `if (!(await askConfirmation({…}))) return cancel();`.
 */
export function askConfirmation(options: ConfirmOptions): Promise<boolean> {
	// A new question answers an open one with "no" rather than leaving its caller waiting.
	confirmation.current?.resolve(false);
	return new Promise((resolve) => {
		confirmation.current = {
			...options,
			resolve: (confirmed) => {
				confirmation.current = null;
				resolve(confirmed);
			}
		};
	});
}
