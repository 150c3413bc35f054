import { formFailure } from '$lib/server/http/form-failure';
import { requireAdmin } from '$lib/server/http/require-admin';
import { serverCaller } from '$lib/server/trpc/context';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event.locals, event.url);
	const caller = serverCaller(event);
	const [keys, users] = await Promise.all([caller.admin.keys.list(), caller.admin.users.list()]);
	return {
		keys,
		users: users.filter((user) => !user.disabled).map(({ id, email }) => ({ id, email })),
		selectedUser: event.url.searchParams.get('user') ?? ''
	};
};

export const actions: Actions = {
	create: async (event) => {
		requireAdmin(event.locals, event.url);
		const form = await readActionForm(event.request);
		const userId = String(form.get('userId') ?? '');
		try {
			const created = await serverCaller(event).admin.keys.create({ userId, name: String(form.get('name') ?? '') });
			return { created: { name: created.name, key: created.key, userId } };
		} catch (error) {
			return formFailure(error);
		}
	},
	revoke: async (event) => {
		requireAdmin(event.locals, event.url);
		const form = await readActionForm(event.request);
		try {
			await serverCaller(event).admin.keys.revoke({ id: String(form.get('id') ?? '') });
			return { revoked: true };
		} catch (error) {
			return formFailure(error);
		}
	}
};
