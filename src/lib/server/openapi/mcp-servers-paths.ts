import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { mcpServerInputSchema, mcpServerPatchSchema, mcpServerResourceSchema } from '../services/mcp-servers';
import { errorResponses, keyOrSession } from './shared';

/** `/api/mcp-servers`: the MCP servers whose tools agents use (admins only). */

const tags = ['MCP servers'];
const idParam = z.object({ id: z.string().meta({ description: 'The MCP server’s id.', example: '1' }) });
const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const saveDescription =
	'Saving tests the server (initialize, then `tools/list`) and stores what happened: a server that cannot be reached is saved too, with `status` `failing` and `last_error`. Each of its tools becomes a Parley tool of kind `mcp` (see `/api/tools/`), to attach to agents by id. Header values are stored encrypted and never returned; responses list `header_names`. A `stdio` server (`command` and `args`, started without a shell) needs `MCP_STDIO=on`: otherwise adding or changing one is refused with 403.';

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
