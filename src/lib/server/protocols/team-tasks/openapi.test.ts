import { createDocument } from 'zod-openapi';
import { describe, expect, it } from 'vitest';
import { filesPaths } from '../../openapi/files-paths';
import { teamTasksPaths } from './openapi';

/** The document these paths make on their own. */
function document() {
	return createDocument({
		openapi: '3.1.0',
		info: { title: 'test', version: '1' },
		components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
		paths: { ...teamTasksPaths, ...filesPaths }
	});
}

describe('team-agent tasks and files OpenAPI paths', () => {
	it('describe every endpoint with its statuses', () => {
		const paths = document().paths ?? {};
		expect(Object.keys(paths).sort()).toEqual([
			'/api/files',
			'/api/files/signed/{token}',
			'/api/files/{id}',
			'/api/files/{id}/meta',
			'/api/teams/messages',
			'/api/teams/tasks/{id_team_agent}',
			'/api/teams/tasks/{id_team_agent}/{id_task}'
		]);
		expect(Object.keys(paths['/api/teams/messages']?.post?.responses ?? {})).toEqual(
			expect.arrayContaining(['200', '400', '401', '404', '406', '413', '415', '422', '429'])
		);
		expect(Object.keys(paths['/api/teams/tasks/{id_team_agent}']?.post?.responses ?? {})).toContain('201');
		expect(Object.keys(paths['/api/files/signed/{token}']?.get?.responses ?? {})).toEqual(['200', '401', '403', '404']);
	});

	it('render the multipart forms from the schemas that validate them', () => {
		const body = document().paths?.['/api/teams/messages']?.post?.requestBody;
		const schema = body && 'content' in body ? body.content['multipart/form-data']?.schema : undefined;
		expect(schema).toMatchObject({
			type: 'object',
			required: expect.arrayContaining(['id_team_agent', 'id_team', 'text']),
			properties: expect.objectContaining({
				context: expect.objectContaining({ type: 'string' }),
				images: expect.objectContaining({ type: 'array' })
			})
		});
	});
});
