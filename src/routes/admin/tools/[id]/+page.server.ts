import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/context';
import { idParam, notFoundAs404, requireAdmin } from '../../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { readToolForm, toolFormValues, typedToolValues } from '../tool-form.server';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const id = idParam(event.params.id);
	const caller = serverCaller(event).adminCatalog.tools;
	const [tool, builtins] = await Promise.all([caller.get({ id }).catch(notFoundAs404), caller.builtins()]);
	return { tool: { id: tool.id, name: tool.name }, values: toolFormValues(tool), builtins };
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event);
		const id = idParam(event.params.id);
		const form = await readActionForm(event.request);
		let name: string;
		try {
			name = (await serverCaller(event).adminCatalog.tools.update({ id, ...readToolForm(form) })).name;
		} catch (error) {
			return formFailure(error, { ...typedToolValues(form) });
		}
		redirect(303, `/admin/tools?saved=${encodeURIComponent(name)}`);
	}
};
