import { createDocument } from 'zod-openapi';
import { describe, expect, it } from 'vitest';
import { openAIPaths } from './openapi';

describe('openAIPaths', () => {
	it('renders as OpenAPI 3.1 with the request schema, responses and errors', () => {
		const document = createDocument({
			openapi: '3.1.0',
			info: { title: 'test', version: '1' },
			components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
			paths: openAIPaths
		});
		const completions = document.paths?.['/v1/chat/completions']?.post;
		expect(Object.keys(completions?.responses ?? {}).sort()).toEqual(
			['200', '400', '401', '404', '409', '413', '422', '429', '502'].sort()
		);
		expect(completions?.security).toEqual([{ bearerAuth: [] }, {}]);
		const request = document.components?.schemas?.ChatCompletionRequest;
		expect(request).toMatchObject({ type: 'object', required: ['model', 'messages'] });
		expect(document.components?.schemas?.OpenAIError).toBeDefined();
		expect(document.paths?.['/v1/models']?.get?.responses?.['200']).toBeDefined();
	});
});
