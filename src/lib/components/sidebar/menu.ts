/** The items of a menu that can take focus, in order. */
function itemsOf(menu: HTMLElement): HTMLElement[] {
	return [...menu.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])')];
}

/**
 * Makes an open `role="menu"` element keyboard operable, as the ARIA menu pattern has it: the
 * checked (or first) item takes focus; arrows, Home and End move between items; Escape closes the
 * menu and gives focus back to its button; Tab, or a click elsewhere, closes it.
 * Escape is marked as handled, so that page-wide shortcuts leave it alone.
 */
export function menu(node: HTMLElement, options: { close: (restoreFocus: boolean) => void; trigger?: HTMLElement }) {
	let { close, trigger } = options;
	const items = () => itemsOf(node);
	const start = items().find((item) => item.getAttribute('aria-checked') === 'true') ?? items()[0];
	start?.focus();

	function onKeydown(event: KeyboardEvent) {
		const all = items();
		const at = all.indexOf(document.activeElement as HTMLElement);
		const move = (index: number) => {
			event.preventDefault();
			all[(index + all.length) % all.length]?.focus();
		};
		if (event.key === 'ArrowDown') move(at + 1);
		else if (event.key === 'ArrowUp') move(at - 1);
		else if (event.key === 'Home') move(0);
		else if (event.key === 'End') move(all.length - 1);
		else if (event.key === 'Escape') {
			event.preventDefault();
			event.stopPropagation();
			close(true);
		} else if (event.key === 'Tab') close(false);
	}

	function onPointerDown(event: PointerEvent) {
		const target = event.target as Node;
		if (!node.contains(target) && !trigger?.contains(target)) close(false);
	}

	node.addEventListener('keydown', onKeydown);
	document.addEventListener('pointerdown', onPointerDown, true);
	return {
		update(next: { close: (restoreFocus: boolean) => void; trigger?: HTMLElement }) {
			({ close, trigger } = next);
		},
		destroy() {
			node.removeEventListener('keydown', onKeydown);
			document.removeEventListener('pointerdown', onPointerDown, true);
		}
	};
}
