import { viewerOf } from '$lib/server/http/viewer';
import { AppError } from '$lib/server/errors';
import { responsesErrorResponse } from '$lib/server/protocols/openai-responses/errors';
import { getOwnResponse, listInputItems } from '$lib/server/services/stored-responses';
import type { RequestHandler } from './$types';

/** The most input items one page lists. */
const MAX_PAGE = 100;

/** `limit` (1–100, 20 by default). */
function limitOf(url: URL): number {
	const value = url.searchParams.get('limit');
	if (value === null) return 20;
	const limit = Number(value);
	if (!/^\d{1,3}$/.test(value) || limit < 1 || limit > MAX_PAGE) {
		throw new AppError('invalid_input', `limit is a whole number from 1 to ${MAX_PAGE}.`, { field: 'limit' });
	}
	return limit;
}

/** `order`: `desc` (newest first, the default) or `asc`. */
function orderOf(url: URL): 'asc' | 'desc' {
	const value = url.searchParams.get('order') ?? 'desc';
	if (value !== 'asc' && value !== 'desc') throw new AppError('invalid_input', 'order is "asc" or "desc".', { field: 'order' });
	return value;
}

/** The input items of a response of the caller's, as a list: `limit`, `order`, `after` (an item id). */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const { url } = event;
		const limit = limitOf(url);
		const order = orderOf(url);
		const after = url.searchParams.get('after') ?? undefined;
		const row = await getOwnResponse(event.locals.db, viewer, event.params.id);
		const { data, hasMore } = await listInputItems(event.locals.db, row.id, { limit, order, after });
		return Response.json({
			object: 'list',
			data,
			first_id: (data[0]?.id as string | undefined) ?? null,
			last_id: (data.at(-1)?.id as string | undefined) ?? null,
			has_more: hasMore
		});
	} catch (error) {
		return responsesErrorResponse(error);
	}
};
