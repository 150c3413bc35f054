import type { SidebarTask } from '$lib/server/task-list/task-list-event';

/** Whether `a` comes before `b` in the list: newer first, then by id, as the server pages them. */
function comesBefore(a: SidebarTask, b: SidebarTask): boolean {
	return a.updatedAt !== b.updatedAt ? a.updatedAt > b.updatedAt : a.id > b.id;
}

/**
 * The list with a new or changed task in its place. An archived task leaves the list. When older
 * tasks are still to be paged in (`complete` false), a task that would sort after the last loaded
 * one is left for its page.
 */
export function withTask(items: SidebarTask[], task: SidebarTask, complete: boolean): SidebarTask[] {
	const rest = items.filter((item) => item.id !== task.id);
	if (task.status === 'archived') return rest;
	const at = rest.findIndex((item) => comesBefore(task, item));
	if (at < 0) return complete ? [...rest, task] : rest;
	return [...rest.slice(0, at), task, ...rest.slice(at)];
}

/**
 * The list after its first page was read again: that page, then the tasks loaded before that sort
 * after it (older pages already scrolled in), so that reconnecting does not lose them.
 */
export function withFirstPage(items: SidebarTask[], page: SidebarTask[], pageIsAll: boolean): SidebarTask[] {
	const last = page.at(-1);
	if (pageIsAll || !last) return page;
	const fresh = new Set(page.map((task) => task.id));
	return [...page, ...items.filter((item) => !fresh.has(item.id) && comesBefore(last, item))];
}
