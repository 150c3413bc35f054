import { redirect } from '@sveltejs/kit';
import { createAccount, parseCredentials } from '$lib/server/auth/accounts';
import { handleAuthForm } from '$lib/server/http/auth-form';
import { redirectTarget } from '$lib/server/http/redirect-target';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, redirectTarget(url));
};

export const actions: Actions = {
	default: (event) => handleAuthForm(event, (credentials) => createAccount(event.locals.db, parseCredentials(credentials)))
};
