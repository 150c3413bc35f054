import type { RequestEvent } from '@sveltejs/kit';
import { getConfig } from '../config';
import type { Viewer } from '../services/viewer';
import { limitStreamingRequest } from './rate-limit';
import { ANONYMOUS_ID_HEADER, viewerOf } from './viewer';

/**
 * The caller of a streaming endpoint: who it is (see {@link viewerOf}), counted against its rate
 * limit (429 when over), with a newly made anonymous id set in `headers` for the response.
 */
export function streamingCaller(
	event: Pick<RequestEvent, 'locals' | 'request'>,
	headers: Headers,
	bodyAnonymousId?: unknown
): Viewer {
	const { viewer, isNew } = viewerOf(event, bodyAnonymousId);
	const anonymousId = viewer.kind === 'anonymous' ? viewer.anonymousId : undefined;
	if (isNew && anonymousId) headers.set(ANONYMOUS_ID_HEADER, anonymousId);
	limitStreamingRequest(event.locals, getConfig().RATE_LIMIT_PER_MINUTE, anonymousId);
	return viewer;
}
