import { redirect } from '@sveltejs/kit';
import { requireAdmin } from './catalog-form.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireAdmin(event);
	redirect(307, '/admin/agents');
};
