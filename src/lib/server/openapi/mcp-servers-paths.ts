import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { mcpServerInputSchema, mcpServerPatchSchema, mcpServerResourceSchema, mcpSignInStartSchema } from '../services/mcp-servers';
import { errorResponses, keyOrSession } from './shared';

/** `/api/mcp-servers`: the MCP servers whose tools agents use (admins only). */

const tags = ['MCP servers'];
const idParam = z.object({ id: z.string().meta({ description: 'The MCP server’s id.', example: '1' }) });
const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const saveDescription =
	'Saving tests the server (initialize, then `tools/list`) and stores what happened: a server that cannot be reached is saved too, with `status` `failing` and `last_error`. Each of its tools becomes a Parley tool of kind `mcp` (see `/api/tools/`), to attach to agents by id. Header values are stored encrypted and never returned; responses list `header_names`. A `stdio` server (`command` and `args`, started without a shell) needs `MCP_STDIO=on`: otherwise adding or changing one is refused with 403. A server with `auth` `oauth` nobody has signed in to yet is saved with `status` `needs_sign_in`: sign in with `POST /api/mcp-servers/{id}/oauth/start`.';

export const mcpServersPaths: ZodOpenApiPathsObject = {
	'/api/mcp-servers/': {
		get: {
			tags,
			summary: 'List the MCP servers, with their state and tools (admins)',
			security: keyOrSession,
			responses: {
				'200': { description: 'A bare array of MCP servers.', content: json(z.array(mcpServerResourceSchema)) },
				...errorResponses(401, 403)
			}
		},
		post: {
			tags,
			summary: 'Add an MCP server and test it (admins)',
			description: saveDescription,
			security: keyOrSession,
			requestBody: { content: json(mcpServerInputSchema) },
			responses: {
				'201': { description: 'The new MCP server, with its state and tools.', content: json(mcpServerResourceSchema) },
				...errorResponses(400, 401, 403, 409, 413)
			}
		}
	},
	'/api/mcp-servers/{id}/': {
		get: {
			tags,
			summary: 'Read an MCP server (admins)',
			security: keyOrSession,
			requestParams: { path: idParam },
			responses: { '200': { description: 'The MCP server.', content: json(mcpServerResourceSchema) }, ...errorResponses(401, 403, 404) }
		},
		patch: {
			tags,
			summary: 'Change an MCP server and test it again (admins)',
			description: `${saveDescription} A \`headers\` object replaces all the headers.`,
			security: keyOrSession,
			requestParams: { path: idParam },
			requestBody: { content: json(mcpServerPatchSchema) },
			responses: {
				'200': { description: 'The MCP server as stored.', content: json(mcpServerResourceSchema) },
				...errorResponses(400, 401, 403, 404, 409, 413)
			}
		},
		delete: {
			tags,
			summary: 'Remove an MCP server and its tools (admins)',
			security: keyOrSession,
			requestParams: { path: idParam },
			responses: { '204': { description: 'Removed.' }, ...errorResponses(401, 403, 404) }
		}
	},
	'/api/mcp-servers/{id}/oauth/start/': {
		post: {
			tags,
			summary: 'Start an OAuth sign-in to an MCP server',
			description:
				'For a server with `auth` `oauth`: discovers its authorization server (protected resource metadata, authorization server metadata), registers Parley with it when there is no pre-registered client, and returns the URL to send the person to (PKCE and the `resource` indicator included). An admin signs in for a `shared` connection; any signed-in person for their own `per_user` one. The authorization server sends the person back to `/api/mcp-servers/oauth/callback`, which stores the tokens (encrypted) and returns to `return_to`. A browser can open this path with GET (`?return_to=`) to be sent there at once. A sign-in must be finished within `MCP_OAUTH_SIGN_IN_TIMEOUT_MS`. When the authorization server cannot be reached or refuses the registration, the answer is 502 with the reason.',
			security: keyOrSession,
			requestParams: { path: idParam },
			requestBody: { content: json(mcpSignInStartSchema) },
			responses: {
				'200': {
					description: 'Where to send the person to sign in.',
					content: json(z.object({ authorization_url: z.string().meta({ format: 'uri' }) }))
				},
				...errorResponses(400, 401, 403, 404, 413)
			}
		}
	},
	'/api/mcp-servers/oauth/callback': {
		get: {
			tags,
			summary: 'Finish an OAuth sign-in to an MCP server (the redirect URL)',
			description:
				'Where authorization servers send the person back (register `<ORIGIN>/api/mcp-servers/oauth/callback` as the redirect URL of a pre-registered client). Needs the session of the person who started the sign-in. On success the code is exchanged for tokens and the person goes back to where the sign-in started; a denied, unknown, expired or failed sign-in shows a page saying why.',
			security: keyOrSession,
			requestParams: {
				query: z.object({
					state: z.string().optional(),
					code: z.string().optional(),
					error: z.string().optional(),
					error_description: z.string().optional()
				})
			},
			responses: {
				'200': {
					description: 'A page saying why the sign-in did not work, with the way back.',
					content: { 'text/html': { schema: z.string() } }
				},
				'303': { description: 'Signed in: back to where the sign-in started.' }
			}
		}
	},
	'/api/mcp-servers/{id}/refresh/': {
		post: {
			tags,
			summary: 'Connect to an MCP server again and re-read its tools (admins)',
			security: keyOrSession,
			requestParams: { path: idParam },
			responses: {
				'200': { description: 'The MCP server, with its new state and tools.', content: json(mcpServerResourceSchema) },
				...errorResponses(401, 403, 404)
			}
		}
	}
};
