import type { RequestEvent } from '@sveltejs/kit';
import { serverCaller } from '../trpc/context';

/** Tasks the chat pages read with the page, for the sidebar to paint at once. */
const FIRST_PAGE = 40;

/**
 * The sidebar's first page for a chat page's load, when the page is rendered on the server; null
 * when the browser navigates (its sidebar already holds the list and follows it live).
 */
export async function sidebarFirstPage(event: RequestEvent) {
	if (event.isDataRequest) return null;
	return serverCaller(event).tasks.sidebar({ limit: FIRST_PAGE });
}

/** Whether the person collapsed the sidebar in this browser (a cookie the sidebar sets). */
export function sidebarCollapsed(event: Pick<RequestEvent, 'cookies'>): boolean {
	return event.cookies.get('parley_sidebar') === 'collapsed';
}
