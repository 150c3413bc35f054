import { getConfig } from '$lib/server/config';
import { formFailure } from '$lib/server/http/form-failure';
import { readActionForm } from '$lib/server/http/read-form';
import { requireUser } from '$lib/server/http/viewer';
import { createMcpServer, deleteMcpServer, listMcpServers, parseOauthFields, refreshMcpServer } from '$lib/server/services/mcp-servers';
import { numberField, requireAdmin, textField } from '../catalog-form.server';
import { parseHeaderLines, parseHostList } from './headers.server';
import type { Actions, PageServerLoad } from './$types';

/** What the page's services need: the database, the settings and the admin. */
function contextOf(event: { locals: App.Locals }) {
	return { db: event.locals.db, config: getConfig(), viewer: requireUser(event.locals) };
}

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return { servers: await listMcpServers(contextOf(event)) };
};

export const actions: Actions = {
	/** Adds a server and tests it: a server that cannot be reached is kept, marked failing. */
	create: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		const values = { name: textField(form, 'name'), url: textField(form, 'url'), allowed_hosts: textField(form, 'allowed_hosts') };
		// How it signs in (the client secret, like header values, is not sent back to the form).
		const signIn = {
			auth: textField(form, 'auth'),
			oauth_connection: textField(form, 'oauth_connection'),
			oauth_scope: textField(form, 'oauth_scope'),
			oauth_client_id: textField(form, 'oauth_client_id')
		};
		try {
			const server = await createMcpServer(contextOf(event), {
				name: values.name.trim(),
				transport: 'http',
				url: values.url.trim(),
				headers: parseHeaderLines(textField(form, 'headers')),
				args: [],
				allowed_hosts: parseHostList(values.allowed_hosts),
				...parseOauthFields({ ...signIn, oauth_client_secret: textField(form, 'oauth_client_secret') })
			});
			return { added: server.name, status: server.status };
		} catch (error) {
			// Header values are secrets: they are not sent back to the form.
			return formFailure(error, { ...values, ...signIn });
		}
	},
	/** Connects again and lists the server's tools anew. */
	refresh: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		try {
			const server = await refreshMcpServer(contextOf(event), numberField(form, 'id') ?? 0);
			return { refreshed: server.name, status: server.status };
		} catch (error) {
			return formFailure(error);
		}
	},
	delete: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		try {
			await deleteMcpServer(contextOf(event), numberField(form, 'id') ?? 0);
			return { deleted: textField(form, 'name') || 'The MCP server' };
		} catch (error) {
			return formFailure(error);
		}
	}
};
