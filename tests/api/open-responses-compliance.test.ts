/**
 * The Open Responses compliance suite's templates (tests/support/open-responses-compliance.ts)
 * against the built server's `/v1/responses`, as the suite's runner sends them, answered by the
 * offline model. The one change: the offline model calls a tool only when asked to, so the two
 * tool-calling templates add `tool_choice: "required"`, which makes it call their `get_weather`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db';
import { signUpWithKey } from '../support/api-user';
import { COMPLIANCE_TEMPLATES, complianceErrors, parseSseStream } from '../support/open-responses-compliance';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let key: string;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
	const db = await openDatabase({ url: server.databaseUrl });
	key = (await signUpWithKey(server.baseURL, db, 'compliance@example.com', 'compliance')).key;
});

afterAll(() => server?.stop());

describe('the Open Responses compliance templates against /v1/responses', () => {
	it.each(COMPLIANCE_TEMPLATES)('$id passes the suite’s checks', async (template) => {
		const toolChoice = 'tools' in template.request ? { tool_choice: 'required' } : {};
		const response = await fetch(`${server.baseURL}/v1/responses`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({ ...template.request, ...toolChoice, stream: template.streaming ?? false })
		});
		expect(response.status).toBe(200);
		if (template.streaming) {
			expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
			const stream = await parseSseStream(response);
			expect(complianceErrors(template, stream.finalResponse, stream)).toStrictEqual([]);
		} else {
			expect(complianceErrors(template, await response.json())).toStrictEqual([]);
		}
	});
});
