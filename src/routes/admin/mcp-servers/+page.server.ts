import { getConfig } from '$lib/server/config';
import { formFailure } from '$lib/server/http/form-failure';
import { readActionForm } from '$lib/server/http/read-form';
import { requireUser } from '$lib/server/http/viewer';
import { AppError } from '$lib/server/errors';
import {
	createMcpServer,
	deleteMcpServer,
	listMcpServers,
	mcpServerInputSchema,
	parseOauthFields,
	refreshMcpServer,
	type McpServerInput
} from '$lib/server/services/mcp-servers';
import { numberField, requireAdmin, textField } from '../catalog-form.server';
import { parseArgLines, parseHeaderLines, parseHostList } from './headers.server';
import type { Actions, PageServerLoad } from './$types';

/** What the page's services need: the database, the settings and the admin. */
function contextOf(event: { locals: App.Locals }) {
	return { db: event.locals.db, config: getConfig(), viewer: requireUser(event.locals) };
}

/** A server typed in the form, checked like the API's body: `invalid_input` naming the first bad field. */
function checkedInput(input: McpServerInput): McpServerInput {
	const result = mcpServerInputSchema.safeParse(input);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const field = issue.path.join('.') || 'name';
	throw new AppError('invalid_input', `${field}: ${issue.message}`, { field });
}

/** The stdio fields of the form: how to connect, and the program to start. */
function stdioValues(form: FormData) {
	return {
		transport: textField(form, 'transport') === 'stdio' ? ('stdio' as const) : ('http' as const),
		command: textField(form, 'command'),
		args: textField(form, 'args')
	};
}

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	// stdio servers start programs on this machine: only with MCP_STDIO=on.
	return { servers: await listMcpServers(contextOf(event)), stdio: getConfig().MCP_STDIO === 'on' };
};

export const actions: Actions = {
	/** Adds a server and tests it: a server that cannot be reached is kept, marked failing. */
	create: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		const values = {
			name: textField(form, 'name'),
			url: textField(form, 'url'),
			allowed_hosts: textField(form, 'allowed_hosts'),
			...stdioValues(form)
		};
		// How it signs in (the client secret, like header values, is not sent back to the form).
		const signIn = {
			auth: textField(form, 'auth'),
			oauth_connection: textField(form, 'oauth_connection'),
			oauth_scope: textField(form, 'oauth_scope'),
			oauth_client_id: textField(form, 'oauth_client_id')
		};
		try {
			const input = checkedInput({
				name: values.name.trim(),
				...(values.transport === 'stdio'
					? {
							transport: 'stdio',
							command: values.command.trim(),
							args: parseArgLines(values.args),
							headers: {},
							allowed_hosts: [],
							auth: 'headers',
							oauth_connection: 'shared'
						}
					: {
							transport: 'http',
							url: values.url.trim(),
							headers: parseHeaderLines(textField(form, 'headers')),
							args: [],
							allowed_hosts: parseHostList(values.allowed_hosts),
							...parseOauthFields({ ...signIn, oauth_client_secret: textField(form, 'oauth_client_secret') })
						})
			});
			const server = await createMcpServer(contextOf(event), input);
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
