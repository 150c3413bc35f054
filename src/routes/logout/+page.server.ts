import { redirect } from '@sveltejs/kit';
import { cookiePolicy } from '$lib/server/auth/handle';
import { endSession } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		if (event.locals.sessionId) {
			await endSession(event.locals.db, event.cookies, event.locals.sessionId, cookiePolicy(event));
		}
		redirect(303, '/login');
	}
};
