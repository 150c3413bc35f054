import { createDocument } from 'zod-openapi';
import { describe, expect, it } from 'vitest';
import { a2aPaths } from './openapi';

describe('a2aPaths', () => {
	const document = createDocument({
		openapi: '3.1.0',
		info: { title: 'test', version: '1' },
		components: {
			securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' }, sessionCookie: { type: 'apiKey', in: 'cookie', name: 's' } }
		},
		paths: a2aPaths
	});

	it('renders the directory, the cards and the JSON-RPC endpoint', () => {
		const paths = document.paths ?? {};
		expect(paths['/.well-known/agent-card.json']?.get).toBeDefined();
		expect(paths['/a2a/{agent}/.well-known/agent-card.json']?.get).toBeDefined();
		expect(Object.keys(paths['/a2a/{agent}']?.post?.responses ?? {}).sort()).toEqual(['200', '401', '404', '413', '429']);
	});

	it('documents the JSON-RPC request from the schema that checks it', () => {
		expect(document.components?.schemas?.A2AJsonRpcRequest).toMatchObject({
			type: 'object',
			required: expect.arrayContaining(['jsonrpc', 'method'])
		});
	});
});
