import { fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { requireLogin } from '$lib/server/http/require-login';
import { serverCaller } from '$lib/server/trpc/context';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireLogin(event.locals, event.url);
	return { keys: await serverCaller(event).apiKeys.list() };
};

/** A tRPC error as a form failure with its message. */
function failure(error: unknown) {
	if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
		return fail(error.code === 'NOT_FOUND' ? 404 : 400, { message: error.message });
	}
	throw error;
}

export const actions: Actions = {
	create: async (event) => {
		requireLogin(event.locals, event.url);
		const form = await readActionForm(event.request);
		try {
			const created = await serverCaller(event).apiKeys.create({ name: String(form.get('name') ?? '') });
			return { created: { name: created.name, key: created.key } };
		} catch (error) {
			return failure(error);
		}
	},
	revoke: async (event) => {
		requireLogin(event.locals, event.url);
		const form = await readActionForm(event.request);
		try {
			await serverCaller(event).apiKeys.revoke({ id: String(form.get('id') ?? '') });
			return { revoked: true };
		} catch (error) {
			return failure(error);
		}
	}
};
