import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/context';
import { requireAdmin } from '../../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { readTemplateForm } from '../template-form.server';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireAdmin(event);
	return { values: { name: '', description: '', template: '' } };
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event);
		const values = readTemplateForm(await readActionForm(event.request));
		let name: string;
		try {
			name = (await serverCaller(event).adminCatalog.templates.create(values)).name;
		} catch (error) {
			return formFailure(error, values);
		}
		redirect(303, `/admin/templates?saved=${encodeURIComponent(name)}`);
	}
};
