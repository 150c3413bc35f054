import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user ? { email: locals.user.email, role: locals.user.role, name: locals.user.name, theme: locals.user.theme } : null
});
