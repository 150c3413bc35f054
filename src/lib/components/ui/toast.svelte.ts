import { tick, type Component } from 'svelte';

/** The toast list, once a toast has been shown; mounted by `ToastHost` in the root layout. */
export const toaster = $state<{ component: Component<Record<string, unknown>> | null }>({ component: null });

/**
 * Shows a short notice in a toast. The toast library loads with the first notice rather than
 * with every page.
 */
export async function notify(kind: 'success' | 'error' | 'info', message: string): Promise<void> {
	const sonner = await import('svelte-sonner');
	if (!toaster.component) {
		toaster.component = sonner.Toaster as unknown as Component<Record<string, unknown>>;
		await tick();
	}
	sonner.toast[kind](message);
}
