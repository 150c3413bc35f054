import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The old dashboard's address: the admin pages replace it. */
export const load: PageServerLoad = () => {
	redirect(308, '/admin');
};
