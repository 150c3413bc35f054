import type { RequestEvent } from '@sveltejs/kit';
import { AppError } from '../errors';
import type { Viewer } from '../services/viewer';
import { clientAddressOf } from './client-address';

/** The header anonymous callers of public agents identify themselves with. */
export const ANONYMOUS_ID_HEADER = 'x-anonymous-id';

/**
 * The header the playground page sends with the requests it makes from the browser (and leaves
 * out of the curl copies it shows): the tasks those requests make are playground tasks.
 */
export const PLAYGROUND_HEADER = 'x-parley-playground';

/** Whether a request says it comes from the playground. */
function fromPlayground(request: Request): boolean {
	return request.headers.get(PLAYGROUND_HEADER) === '1';
}

/** What an anonymous id may look like. */
export const anonymousIdPattern = /^[A-Za-z0-9_.:-]{8,128}$/;

/** The signed-in viewer, or `unauthorized`. */
export function requireUser(locals: App.Locals): Viewer & { kind: 'user' } {
	if (!locals.user) throw new AppError('unauthorized', 'Log in or send an API key (Authorization: Bearer pk_…).');
	return { kind: 'user', id: locals.user.id, role: locals.user.role };
}

/**
 * The viewer of a request that may be anonymous: the signed-in user, else an anonymous caller
 * identified by `X-Anonymous-Id` (or `anonymous_id` in the body; a new id is made when absent) and
 * calling from its client address.
 * `isNew` tells the caller to send the id back in the `X-Anonymous-Id` response header.
 */
export function viewerOf(
	event: Pick<RequestEvent, 'locals' | 'request' | 'getClientAddress'>,
	bodyAnonymousId?: unknown
): { viewer: Viewer; isNew: boolean } {
	const playground = fromPlayground(event.request) ? { playground: true } : {};
	if (event.locals.user) return { viewer: { ...requireUser(event.locals), ...playground }, isNew: false };
	const given = event.request.headers.get(ANONYMOUS_ID_HEADER) ?? (typeof bodyAnonymousId === 'string' ? bodyAnonymousId : null);
	if (given !== null) {
		if (!anonymousIdPattern.test(given)) {
			throw new AppError('invalid_input', 'An anonymous id must be 8–128 letters, digits or "_.:-".', {
				field: 'anonymous_id'
			});
		}
		return { viewer: { kind: 'anonymous', anonymousId: given, address: clientAddressOf(event), ...playground }, isNew: false };
	}
	return {
		viewer: { kind: 'anonymous', anonymousId: `anon_${crypto.randomUUID()}`, address: clientAddressOf(event), ...playground },
		isNew: true
	};
}
