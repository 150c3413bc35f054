import { createDocument } from 'zod-openapi';
import { describe, expect, it } from 'vitest';
import { agentApiPaths } from './openapi';

describe('agentApiPaths', () => {
	it('render as an OpenAPI 3.1 document from the request schemas', () => {
		const document = createDocument({ openapi: '3.1.0', info: { title: 'test', version: '0' }, paths: agentApiPaths });
		expect(Object.keys(document.paths ?? {})).toStrictEqual([
			'/api/agent/stream/',
			'/api/agent/tool-output/',
			'/api/agent/chat/',
			'/api/agents/',
			'/api/agents/{id}/',
			'/api/tools/',
			'/api/tools/{id}/'
		]);
		const schemas = document.components?.schemas ?? {};
		expect(schemas.AgentRunRequest).toMatchObject({
			type: 'object',
			required: expect.arrayContaining(['message', 'agent_id']),
			properties: { auto_execute_tools: { type: 'boolean', default: true } }
		});
		expect(schemas.Agent).toMatchObject({ properties: { source: { enum: ['database', 'code'] } } });
		const stream = document.paths?.['/api/agent/stream/']?.post;
		expect(Object.keys(stream?.responses ?? {})).toStrictEqual(['200', '400', '401', '404', '409', '413', '422', '429']);
		expect(document.paths?.['/api/agents/']?.post?.responses?.['403']).toBeDefined();
	});
});
