import { error } from '@sveltejs/kit';
import { AppError } from '$lib/server/errors';
import { getSharedTask, sharedMessagesForPage } from '$lib/server/services/share-links';
import type { PageServerLoad } from './$types';

/** A shared chat, for anyone with the link (signed in or not); 404 once the link is revoked. */
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	// Not cached anywhere, so that revoking the link takes effect at once; never indexed.
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex, nofollow' });
	try {
		const shared = await getSharedTask(locals.db, params.token);
		return {
			title: shared.title,
			agentName: shared.agentName,
			sharedBy: shared.sharedBy,
			sharedAt: shared.sharedAt,
			messages: sharedMessagesForPage(shared).map((message) => ({
				id: message.id,
				role: message.role,
				parts: message.parts,
				status: message.status
			}))
		};
	} catch (cause) {
		if (cause instanceof AppError && cause.code === 'not_found') error(404, cause.message);
		throw cause;
	}
};
