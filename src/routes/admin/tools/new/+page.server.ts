import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/context';
import { requireAdmin } from '../../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { readToolForm, typedToolValues, type ToolFormValues } from '../tool-form.server';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

const blank: ToolFormValues = {
	name: '',
	description: '',
	kind: 'http',
	input_schema: JSON.stringify({ type: 'object', properties: {} }, null, 2),
	requires_approval: false,
	url: '',
	method: 'GET',
	headers: [],
	timeout_ms: '',
	allowed_hosts: ''
};

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return { values: blank, builtins: await serverCaller(event).adminCatalog.tools.builtins() };
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		let name: string;
		try {
			name = (await serverCaller(event).adminCatalog.tools.create(readToolForm(form))).name;
		} catch (error) {
			return formFailure(error, { ...typedToolValues(form) });
		}
		redirect(303, `/admin/tools?saved=${encodeURIComponent(name)}`);
	}
};
