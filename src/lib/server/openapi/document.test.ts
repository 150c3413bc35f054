import { describe, expect, it } from 'vitest';
import { openApiDocument } from './document';

/** Every public endpoint of api.md, with its methods. */
const publicEndpoints: Record<string, string[]> = {
	'/api/chat': ['post'],
	'/api/chat/{taskId}/stream': ['get'],
	'/api/chat/{taskId}/stop': ['post'],
	'/api/agent/stream/': ['post'],
	'/api/agent/tool-output/': ['post'],
	'/api/agent/chat/': ['post'],
	'/api/agents/': ['get', 'post'],
	'/api/agents/{id}/': ['get', 'put', 'patch', 'delete'],
	'/api/tools/': ['get', 'post'],
	'/api/tools/{id}/': ['get', 'put', 'patch', 'delete'],
	'/assistant': ['post'],
	'/health': ['get'],
	'/api/teams/messages': ['post'],
	'/api/teams/tasks/{id_team_agent}': ['get', 'post'],
	'/api/teams/tasks/{id_team_agent}/{id_task}': ['get', 'delete'],
	'/v1/models': ['get'],
	'/v1/chat/completions': ['post'],
	'/v1/responses': ['post'],
	'/v1/responses/{response_id}': ['get', 'delete'],
	'/v1/responses/{response_id}/input_items': ['get'],
	'/v1/responses/{response_id}/cancel': ['post'],
	'/ag-ui/{agent}': ['post'],
	'/ag-ui/{agent}/runs/{runId}/events': ['get'],
	'/ag-ui/{agent}/runs/{runId}/cancel': ['post'],
	'/.well-known/agent-card.json': ['get'],
	'/a2a/{agent}/.well-known/agent-card.json': ['get'],
	'/a2a/{agent}': ['post'],
	'/api/files': ['post'],
	'/api/files/{id}': ['get'],
	'/api/files/{id}/meta': ['get'],
	'/api/tasks/{id}/share': ['post'],
	'/api/tasks/{id}/export': ['get'],
	'/api/share-links': ['get'],
	'/api/share-links/{token}': ['delete'],
	'/mcp': ['post'],
	'/api/mcp-servers/': ['get', 'post'],
	'/api/mcp-servers/{id}/': ['get', 'patch', 'delete'],
	'/api/mcp-servers/{id}/refresh/': ['post'],
	'/api/mcp-servers/{id}/oauth/start/': ['post']
};

type Operation = { responses?: Record<string, unknown>; security?: unknown[]; requestBody?: unknown };

describe('the OpenAPI document', () => {
	const document = openApiDocument();

	it('is OpenAPI 3.1 with the bearer key scheme', () => {
		expect(document.openapi).toBe('3.1.0');
		expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
	});

	it.each(Object.entries(publicEndpoints))('documents %s', (path, methods) => {
		const item = document.paths?.[path] as Record<string, Operation> | undefined;
		expect(item, `${path} is missing`).toBeDefined();
		for (const method of methods) {
			const operation = item?.[method];
			expect(operation, `${method.toUpperCase()} ${path} is missing`).toBeDefined();
			const statuses = Object.keys(operation?.responses ?? {});
			expect(statuses.some((status) => status.startsWith('2'))).toBe(true);
			// Every endpoint but the health check and the A2A directory can refuse a request, and says how.
			if (path !== '/health' && path !== '/.well-known/agent-card.json')
				expect(statuses.some((status) => status.startsWith('4'))).toBe(true);
		}
	});

	it('builds request bodies from the request schemas', () => {
		/** The JSON schema of an operation's JSON body, following a component reference. */
		const bodySchema = (path: string) => {
			const operation = (document.paths?.[path] as Record<string, Operation>).post;
			const body = operation.requestBody as { content: Record<string, { schema: { $ref?: string } }> };
			const schema = body.content['application/json'].schema;
			const name = schema.$ref?.split('/').at(-1);
			return JSON.stringify(name ? document.components?.schemas?.[name] : schema);
		};
		expect(bodySchema('/api/chat')).toContain('"messages"');
		expect(bodySchema('/v1/chat/completions')).toContain('"model"');
		expect(bodySchema('/api/agent/stream/')).toContain('"agent_id"');
	});
});
