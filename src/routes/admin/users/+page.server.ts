import { fail } from '@sveltejs/kit';
import { formFailure } from '$lib/server/http/form-failure';
import { requireAdmin } from '$lib/server/http/require-admin';
import { serverCaller } from '$lib/server/trpc/context';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event.locals, event.url);
	return { users: await serverCaller(event).admin.users.list(), viewerId: event.locals.user?.id ?? '' };
};

export const actions: Actions = {
	role: async (event) => {
		requireAdmin(event.locals, event.url);
		const form = await readActionForm(event.request);
		const role = form.get('role');
		if (role !== 'admin' && role !== 'user') return fail(400, { message: 'Choose the role admin or user.' });
		const userId = String(form.get('userId') ?? '');
		try {
			await serverCaller(event).admin.users.setRole({ userId, role });
			return { done: role === 'admin' ? 'Made an admin.' : 'Made a regular user.' };
		} catch (error) {
			return formFailure(error);
		}
	},
	disabled: async (event) => {
		requireAdmin(event.locals, event.url);
		const form = await readActionForm(event.request);
		const disabled = form.get('disabled') === 'true';
		const userId = String(form.get('userId') ?? '');
		try {
			await serverCaller(event).admin.users.setDisabled({ userId, disabled });
			return { done: disabled ? 'Disabled; their sessions were ended.' : 'Enabled again.' };
		} catch (error) {
			return formFailure(error);
		}
	}
};
