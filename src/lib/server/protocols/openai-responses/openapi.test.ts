import { createDocument } from 'zod-openapi';
import { describe, expect, it } from 'vitest';
import { openResponsesPaths } from './openapi';

describe('openResponsesPaths', () => {
	const document = createDocument({
		openapi: '3.1.0',
		info: { title: 'test', version: '1' },
		components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
		paths: openResponsesPaths
	});

	it('renders every Responses endpoint with the shared error component', () => {
		const paths = document.paths ?? {};
		expect(Object.keys(paths['/v1/responses'] ?? {})).toContain('post');
		expect(paths['/v1/responses/{response_id}']).toMatchObject({ get: {}, delete: {} });
		expect(paths['/v1/responses/{response_id}/input_items']?.get).toBeDefined();
		expect(paths['/v1/responses/{response_id}/cancel']?.post).toBeDefined();
		expect(Object.keys(paths['/v1/responses']?.post?.responses ?? {}).sort()).toEqual(
			['200', '400', '401', '404', '409', '413', '422', '429'].sort()
		);
		expect(document.components?.schemas?.OpenAIError).toBeDefined();
	});

	it('documents the request from its schema and every required field of the response', () => {
		expect(document.components?.schemas?.CreateResponseRequest).toMatchObject({ type: 'object', required: ['model', 'input'] });
		const response = document.components?.schemas?.Response as { required?: string[] };
		for (const field of ['id', 'object', 'created_at', 'completed_at', 'status', 'incomplete_details', 'usage', 'store', 'text']) {
			expect(response.required).toContain(field);
		}
	});
});
