import { createDocument } from 'zod-openapi';
import { describe, expect, it } from 'vitest';
import { assistantTransportPaths } from './openapi';

describe('assistantTransportPaths', () => {
	it('builds into an OpenAPI 3.1 document with the request schema, both formats and every error', () => {
		const document = createDocument({
			openapi: '3.1.0',
			info: { title: 'test', version: '1' },
			components: {
				securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' }, sessionCookie: { type: 'apiKey', in: 'cookie', name: 's' } }
			},
			paths: assistantTransportPaths
		});
		const post = document.paths?.['/assistant']?.post;
		const body = post?.requestBody && 'content' in post.requestBody ? post.requestBody.content['application/json'].schema : undefined;
		expect(JSON.stringify(body)).toContain('add-tool-result');
		expect(Object.keys(post?.responses ?? {}).sort()).toStrictEqual(['200', '400', '401', '404', '406', '409', '413', '422', '429']);
		const ok = post?.responses?.['200'];
		expect(Object.keys(ok && 'content' in ok ? (ok.content ?? {}) : {})).toStrictEqual(['text/plain', 'text/event-stream']);
		expect(post?.parameters?.map((parameter) => ('name' in parameter ? parameter.name : ''))).toStrictEqual([
			'agent',
			'protocol',
			'accept',
			'x-anonymous-id'
		]);
		expect(post?.security).toStrictEqual([{ bearerAuth: [] }, { sessionCookie: [] }, {}]);
		expect(Object.keys(document.paths?.['/health']?.get?.responses ?? {})).toStrictEqual(['200', '503']);
	});
});
