import type { RequestEvent } from '@sveltejs/kit';
import type { Viewer } from '../services/viewer';
import { limitStreamingRequest } from './rate-limit';
import { ANONYMOUS_ID_HEADER, viewerOf } from './viewer';

/**
 * The caller of a streaming endpoint: who it is (see {@link viewerOf}), counted against its rate
 * limits (429 when over), with a newly made anonymous id set in `headers` for the response.
 */
export async function streamingCaller(
	event: Pick<RequestEvent, 'locals' | 'request' | 'getClientAddress'>,
	headers: Headers,
	bodyAnonymousId?: unknown
): Promise<Viewer> {
	const { viewer, isNew } = viewerOf(event, bodyAnonymousId);
	if (isNew && viewer.kind === 'anonymous') headers.set(ANONYMOUS_ID_HEADER, viewer.anonymousId);
	await limitStreamingRequest(event.locals, viewer);
	return viewer;
}
