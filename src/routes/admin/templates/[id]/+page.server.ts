import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/context';
import { idParam, notFoundAs404, requireAdmin } from '../../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { readTemplateForm } from '../template-form.server';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const template = await serverCaller(event)
		.adminCatalog.templates.get({ id: idParam(event.params.id) })
		.catch(notFoundAs404);
	return {
		template: { id: template.id, name: template.name, usedBy: template.used_by },
		values: { name: template.name, description: template.description, template: template.template }
	};
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event);
		const id = idParam(event.params.id);
		const values = readTemplateForm(await readActionForm(event.request));
		let name: string;
		try {
			name = (await serverCaller(event).adminCatalog.templates.update({ id, ...values })).name;
		} catch (error) {
			return formFailure(error, values);
		}
		redirect(303, `/admin/templates?saved=${encodeURIComponent(name)}`);
	}
};
