import { createDocument } from 'zod-openapi';
import { describe, expect, it } from 'vitest';
import { agUiPaths } from './openapi';

describe('agUiPaths', () => {
	const document = createDocument({
		openapi: '3.1.0',
		info: { title: 'test', version: '1' },
		components: {
			securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' }, sessionCookie: { type: 'apiKey', in: 'cookie', name: 's' } }
		},
		paths: agUiPaths
	});

	it('renders the run, its replay and its cancel', () => {
		const paths = document.paths ?? {};
		expect(Object.keys(paths['/ag-ui/{agent}']?.post?.responses ?? {}).sort()).toEqual([
			'200',
			'400',
			'401',
			'404',
			'409',
			'413',
			'415',
			'429'
		]);
		expect(paths['/ag-ui/{agent}/runs/{runId}/events']?.get).toBeDefined();
		expect(paths['/ag-ui/{agent}/runs/{runId}/cancel']?.post).toBeDefined();
	});

	it('documents RunAgentInput from the schema that validates it', () => {
		expect(document.components?.schemas?.AgUiRunAgentInput).toMatchObject({ type: 'object', required: ['threadId', 'runId', 'messages'] });
	});
});
