/**
 * Whether the page has become interactive. The server's HTML shows every control at once, but a
 * control that only the page's JavaScript handles (the composer's Enter, a choice kept in state)
 * would lose what a person did with it before the scripts run: hydration puts back the state the
 * server rendered. Such controls stay disabled until `hydration.done`, which the root layout sets
 * when it mounts — after every component of the first page has mounted.
 *
 * On the server this stays false, so every rendered page starts with those controls disabled.
 */
let done = $state(false);

export const hydration = {
	/** True once the root layout has mounted in the browser. */
	get done(): boolean {
		return done;
	}
};

/** Marks the page as interactive; the root layout calls it from `onMount`. */
export function markHydrated(): void {
	done = true;
}
