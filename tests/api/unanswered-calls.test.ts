import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { listMessages } from '../../src/lib/server/services/messages';
import { signUpWithKey } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Db;
let key: string;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
	db = await openDatabase({ url: server.databaseUrl });
	const user = await signUpWithKey(server.baseURL, db, 'unanswered@example.com', 'unanswered calls tests');
	key = user.key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

describe('a call the caller leaves unanswered', () => {
	it('is closed as not answered when the caller sends a new message instead (agent API)', async () => {
		const first = await post('/api/agent/chat/', {
			message: 'calculator expression="6*7"',
			agent_id: 'tool-demo',
			auto_execute_tools: false
		});
		const paused = await first.json();
		expect(paused).toMatchObject({ status: 'requires_action', tool_calls: [{ name: 'calculator' }] });
		const taskId = paused.session_id;
		expect(toolPart(await listMessages(db, taskId))).toMatchObject({ state: 'input-available' });

		const second = await post('/api/agent/chat/', { message: 'Forget it, hello', agent_id: 'tool-demo', session_id: taskId });
		expect(await second.json()).toMatchObject({ status: 'completed', text: expect.stringContaining('Forget it, hello') });

		const stored = await listMessages(db, taskId);
		expect(stored.map((message) => message.role)).toStrictEqual(['user', 'assistant', 'user', 'assistant']);
		expect(toolPart(stored)).toMatchObject({ state: 'output-error', errorText: 'Not answered: the conversation went on.' });
	});
});

/** Posts JSON with the caller's key. */
function post(path: string, body: unknown): Promise<Response> {
	return fetch(`${server.baseURL}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

/** The calculator call of a task's first answer. */
function toolPart(messages: { parts: { type: string }[] }[]) {
	return messages[1].parts.find((part) => part.type === 'tool-calculator');
}
