import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { changePassword, confirmPassword, setDisplayName, setTheme } from '$lib/server/auth/account-settings';
import { cookiePolicy } from '$lib/server/auth/handle';
import { endSession } from '$lib/server/auth/session';
import { AppError } from '$lib/server/errors';
import { readFormError } from '$lib/server/http/form-failure';
import { passwordAttempt } from '$lib/server/http/password-attempt';
import { requireLogin } from '$lib/server/http/require-login';
import { readActionForm } from '$lib/server/http/read-form';
import { stopRun } from '$lib/server/runtime/runs';
import { deleteAccount } from '$lib/server/services/account-deletion';
import { listShareLinks, revokeShareLink, sharePath } from '$lib/server/services/share-links';
import { serverCaller } from '$lib/server/trpc/context';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireLogin(event.locals, event.url);
	const user = event.locals.user!;
	const links = await listShareLinks(event.locals.db, user.id);
	return {
		keys: await serverCaller(event).apiKeys.list(),
		account: { email: user.email, name: user.name ?? '', theme: user.theme },
		shareLinks: links.map((link) => ({ ...link, url: `${event.url.origin}${sharePath(link.token)}` }))
	};
};

/** Which part of the page a form answer belongs to. */
type Section = 'name' | 'theme' | 'password' | 'share' | 'keys' | 'delete';

/** A tRPC or Parley error as a form failure of a section, with its message and field. */
function failure(section: Section, error: unknown) {
	const { status, message, field } = readFormError(error);
	return fail(status, { section, message, field: field ?? null });
}

/** The signed-in user of an action, with their form. */
async function begin(event: RequestEvent) {
	requireLogin(event.locals, event.url);
	return { user: event.locals.user!, form: await readActionForm(event.request) };
}

export const actions: Actions = {
	name: async (event) => {
		const { user, form } = await begin(event);
		try {
			const name = await setDisplayName(event.locals.db, user.id, form.get('name'));
			return { section: 'name' as const, saved: true, name };
		} catch (error) {
			return failure('name', error);
		}
	},
	theme: async (event) => {
		const { user, form } = await begin(event);
		try {
			const theme = await setTheme(event.locals.db, user.id, form.get('theme'));
			return { section: 'theme' as const, saved: true, theme };
		} catch (error) {
			return failure('theme', error);
		}
	},
	password: async (event) => {
		const { user, form } = await begin(event);
		try {
			await passwordAttempt(event, user.email, () =>
				changePassword(event.locals.db, {
					userId: user.id,
					keepSessionId: event.locals.sessionId,
					currentPassword: form.get('currentPassword'),
					newPassword: form.get('newPassword'),
					confirmation: form.get('confirmation')
				})
			);
			return { section: 'password' as const, saved: true };
		} catch (error) {
			return failure('password', error);
		}
	},
	revokeShare: async (event) => {
		const { user, form } = await begin(event);
		try {
			await revokeShareLink(event.locals.db, user.id, String(form.get('token') ?? ''));
			return { section: 'share' as const, saved: true };
		} catch (error) {
			return failure('share', error);
		}
	},
	create: async (event) => {
		const { form } = await begin(event);
		try {
			const created = await serverCaller(event).apiKeys.create({ name: String(form.get('name') ?? '') });
			return { section: 'keys' as const, created: { name: created.name, key: created.key } };
		} catch (error) {
			return failure('keys', error);
		}
	},
	revoke: async (event) => {
		const { form } = await begin(event);
		try {
			await serverCaller(event).apiKeys.revoke({ id: String(form.get('id') ?? '') });
			return { section: 'keys' as const, revoked: true };
		} catch (error) {
			return failure('keys', error);
		}
	},
	deleteAccount: async (event) => {
		const { user, form } = await begin(event);
		try {
			await passwordAttempt(event, user.email, () => confirmPassword(event.locals.db, user.id, form.get('password'), 'password'));
			await deleteAccount(event.locals.db, user.id, { stopRun });
		} catch (error) {
			if (error instanceof AppError || error instanceof TRPCError) return failure('delete', error);
			throw error;
		}
		if (event.locals.sessionId) await endSession(event.locals.db, event.cookies, event.locals.sessionId, cookiePolicy(event));
		redirect(303, '/login');
	}
};
