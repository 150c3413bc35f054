import { browser } from '$app/environment';
import type { TaskCursor } from '$lib/server/services/tasks';
import type { SidebarTask } from '$lib/server/task-list/task-list-event';
import { withFirstPage, withTask } from './task-list-changes';

/** A page of the sidebar, as `tasks.sidebar` answers. */
export interface SidebarPage {
	items: SidebarTask[];
	nextCursor: TaskCursor | null;
}

/** Tasks read per page. */
export const SIDEBAR_PAGE_SIZE = 40;

/** The tRPC client, loaded with the first call rather than with the page. */
const client = () => import('$lib/trpc-client').then((module) => module.trpc);

/**
 * The chat sidebar's list: the user's tasks a page at a time, kept current by the live feed of
 * their task list, and the results of a search. In the browser one list serves every chat page,
 * so that going from one chat to another keeps what was scrolled in.
 */
export class TaskList {
	items = $state<SidebarTask[]>([]);
	nextCursor = $state<TaskCursor | null>(null);
	/** Whether a page is being read. */
	loading = $state(false);
	/** Whether the first page has been read. */
	loaded = $state(false);
	/** The words searched for ('' when not searching) and what they found. */
	query = $state('');
	results = $state<SidebarTask[]>([]);
	resultsCursor = $state<TaskCursor | null>(null);
	searching = $state(false);
	/** Whether reading failed (the list shows a retry). */
	failed = $state(false);
	/** Where the list was scrolled to, restored when a sidebar mounts again. */
	scrollTop = 0;

	private owner: string | null = null;
	private live: { unsubscribe(): void } | null = null;
	private users = 0;
	private searchRun = 0;

	/** Starts from a page read by the server, unless this list already holds the same user's tasks. */
	start(owner: string, page: SidebarPage | null): void {
		if (this.owner !== owner) {
			this.owner = owner;
			this.loaded = false;
			this.items = [];
			this.nextCursor = null;
			this.query = '';
			this.results = [];
			this.scrollTop = 0;
		}
		if (!this.loaded && page) {
			this.items = page.items;
			this.nextCursor = page.nextCursor;
			this.loaded = true;
		}
	}

	/** Follows the live feed while at least one sidebar is mounted; returns the function that lets go. */
	follow(): () => void {
		this.users++;
		if (browser && !this.live) void this.subscribe();
		if (browser && !this.loaded) void this.refresh();
		return () => {
			this.users--;
			// A sidebar of the next page mounts right after: wait for it before closing the feed.
			queueMicrotask(() => {
				if (this.users === 0) {
					this.live?.unsubscribe();
					this.live = null;
				}
			});
		};
	}

	private async subscribe() {
		const trpc = await client();
		if (this.live || this.users === 0) return;
		this.live = trpc.tasks.listLive.subscribe(undefined, {
			onData: (event) => {
				if (event.type === 'ready') void this.refresh();
				else if (event.type === 'reset') void this.refresh();
				else if (event.type === 'task-deleted') this.remove(event.id);
				else this.apply(event.task);
			}
		});
	}

	/** Reads the first page again, keeping older pages already scrolled in. */
	async refresh(): Promise<void> {
		try {
			const page = await (await client()).tasks.sidebar.query({ limit: SIDEBAR_PAGE_SIZE });
			const keepsOlder = this.loaded && this.items.length > page.items.length;
			this.items = withFirstPage(this.items, page.items, !this.loaded || page.nextCursor === null);
			if (!keepsOlder) this.nextCursor = page.nextCursor;
			this.loaded = true;
			this.failed = false;
		} catch {
			this.failed = true;
		}
	}

	/** Reads the next page of the list, or of the search results. */
	async loadMore(): Promise<void> {
		const searching = this.query !== '';
		const cursor = searching ? this.resultsCursor : this.nextCursor;
		if (this.loading || !cursor) return;
		this.loading = true;
		const run = this.searchRun;
		try {
			const page = await (
				await client()
			).tasks.sidebar.query({
				limit: SIDEBAR_PAGE_SIZE,
				cursor,
				query: searching ? this.query : undefined
			});
			if (searching) {
				if (run !== this.searchRun) return;
				const known = new Set(this.results.map((task) => task.id));
				this.results = [...this.results, ...page.items.filter((task) => !known.has(task.id))];
				this.resultsCursor = page.nextCursor;
			} else {
				const known = new Set(this.items.map((task) => task.id));
				this.items = [...this.items, ...page.items.filter((task) => !known.has(task.id))];
				this.nextCursor = page.nextCursor;
			}
			this.failed = false;
		} catch {
			this.failed = true;
		} finally {
			this.loading = false;
		}
	}

	/** Searches titles and message text; an empty query shows the list again. */
	async search(query: string): Promise<void> {
		const run = ++this.searchRun;
		this.query = query.trim();
		if (!this.query) {
			this.results = [];
			this.resultsCursor = null;
			this.searching = false;
			return;
		}
		this.searching = true;
		try {
			const page = await (await client()).tasks.sidebar.query({ limit: SIDEBAR_PAGE_SIZE, query: this.query });
			if (run !== this.searchRun) return;
			this.results = page.items;
			this.resultsCursor = page.nextCursor;
			this.failed = false;
		} catch {
			if (run === this.searchRun) this.failed = true;
		} finally {
			if (run === this.searchRun) this.searching = false;
		}
	}

	/** A new or changed task, in the list and in the search results it is already among. */
	apply(task: SidebarTask): void {
		this.items = withTask(this.items, task, this.nextCursor === null);
		if (this.results.some((result) => result.id === task.id)) {
			this.results = this.results.flatMap((result) => (result.id !== task.id ? [result] : task.status === 'archived' ? [] : [task]));
		}
	}

	/** A deleted task leaves the list and the results. */
	remove(id: string): void {
		this.items = this.items.filter((task) => task.id !== id);
		this.results = this.results.filter((task) => task.id !== id);
	}
}

let shared: TaskList | undefined;

/** The browser's one list; on the server, a new one for each page (never shared between people). */
export function taskList(): TaskList {
	if (!browser) return new TaskList();
	shared ??= new TaskList();
	return shared;
}
