import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import { version } from '../../version';
import { a2aPaths } from '../protocols/a2a/openapi';
import { agUiPaths } from '../protocols/ag-ui/openapi';
import { agentApiPaths } from '../protocols/agent-api/openapi';
import { assistantTransportPaths } from '../protocols/assistant-transport/openapi';
import { mcpPaths } from '../protocols/mcp/openapi';
import { openAIPaths } from '../protocols/openai/openapi';
import { openResponsesPaths } from '../protocols/openai-responses/openapi';
import { teamTasksPaths } from '../protocols/team-tasks/openapi';
import { chatPaths } from './chat-paths';
import { filesPaths } from './files-paths';
import { mcpServersPaths } from './mcp-servers-paths';
import { sharePaths } from './share-paths';

/** Every group of public paths, each built from the zod schemas that validate its requests. */
const pathGroups: ZodOpenApiPathsObject[] = [
	chatPaths,
	agentApiPaths,
	assistantTransportPaths,
	openAIPaths,
	openResponsesPaths,
	agUiPaths,
	a2aPaths,
	teamTasksPaths,
	filesPaths,
	sharePaths,
	mcpPaths,
	mcpServersPaths
];

let cached: ReturnType<typeof createDocument> | undefined;

/** Parley's OpenAPI 3.1 document, built once. */
export function openApiDocument() {
	cached ??= createDocument({
		openapi: '3.1.0',
		info: {
			title: 'Parley',
			version,
			description:
				'Parley serves the same agents over several drop-in protocol faces. Authenticate with `Authorization: Bearer pk_…` (create keys in /settings or with `npm run cli -- create-key`); agents flagged public also accept anonymous callers, identified by `X-Anonymous-Id`.'
		},
		servers: [{ url: '/' }],
		components: {
			securitySchemes: {
				bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `pk_…`.' },
				sessionCookie: { type: 'apiKey', in: 'cookie', name: 'parley_session', description: 'The browser app’s session.' }
			}
		},
		paths: Object.assign({}, ...pathGroups)
	});
	return cached;
}
