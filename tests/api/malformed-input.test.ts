/**
 * Input the server cannot read: malformed or too deeply nested JSON, bodies over their limit
 * (declared or chunked), truncated multipart bodies, paths that do not decode. Each must answer
 * with a JSON 4xx naming the problem on every face (tRPC in its own error shape, form actions in
 * SvelteKit's), never a 500 or an HTML page, and a 413 must reach a client that is still sending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tasks } from '../../src/lib/server/db/schema';
import { useServerWithUser } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';

/** Limits small enough to go over cheaply, large enough for a 10,000-deep object to fit. */
const JSON_BODY_LIMIT = 100_000;
const REQUEST_SIZE_LIMIT = 200_000;
const JSON_DEPTH_LIMIT = 64;

/** The first account, hence an admin. */
const app = useServerWithUser({
	email: 'admin@example.com',
	keyName: 'malformed',
	env: {
		JSON_BODY_LIMIT: String(JSON_BODY_LIMIT),
		REQUEST_SIZE_LIMIT: String(REQUEST_SIZE_LIMIT),
		FILE_SIZE_LIMIT: String(REQUEST_SIZE_LIMIT),
		RATE_LIMIT_PER_MINUTE: '100000',
		MOCK_TOKEN_DELAY_MS: '0'
	}
});

/** An object nested `levels` deep: `{"a":{"a":…1…}}`. */
function deepObject(levels: number): string {
	return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

const DEEP = deepObject(10_000);
const SHALLOW = deepObject(3);

/** Parley's error body, exactly. */
const parleyError = z.strictObject({
	error: z.strictObject({ code: z.string(), message: z.string().min(1), field: z.string().min(1).optional() })
});

/** OpenAI's error body, exactly. */
const openAIError = z.strictObject({
	error: z.strictObject({
		message: z.string().min(1),
		type: z.string().min(1),
		param: z.string().nullable(),
		code: z.string().nullable()
	})
});

/** tRPC's error body as Parley formats it. */
const trpcError = z.object({
	error: z.object({
		message: z.string().min(1),
		code: z.number(),
		data: z.object({ code: z.string(), httpStatus: z.number(), field: z.string().optional() })
	})
});

/** Reads a response that must be a JSON error; returns its body and a description for messages. */
async function jsonError(response: Response): Promise<{ body: unknown; what: string }> {
	const text = await response.text();
	const what = `${response.status} ${text.slice(0, 300)}`;
	expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
	expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
	return { body: JSON.parse(text), what };
}

/** A JSON POST with the admin's API key; `body` is sent as it is. */
function postJson(path: string, body: string): Promise<Response> {
	return app.user.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

/** A multipart POST with the admin's API key, accepting an event stream (the team message endpoint's answer). */
function postForm(path: string, fields: Record<string, string>): Promise<Response> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	return app.user.api(path, { method: 'POST', headers: { accept: 'text/event-stream' }, body: form });
}

/** A body sent in 4 KB chunks, without a `content-length`. */
function chunked(bytes: Uint8Array<ArrayBuffer>): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
	return {
		body: new ReadableStream<Uint8Array>({
			start(controller) {
				for (let at = 0; at < bytes.length; at += 4096) controller.enqueue(bytes.slice(at, at + 4096));
				controller.close();
			}
		}),
		duplex: 'half'
	};
}

/** A truncated multipart body: the last part is cut off before its closing boundary. */
function truncatedMultipart(fields: Record<string, string>): { body: string; type: string } {
	const boundary = '----parley-truncated';
	const parts = Object.entries(fields).map(
		([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}`
	);
	return { body: parts.join('\r\n'), type: `multipart/form-data; boundary=${boundary}` };
}

/** The faces that take a task context, each with its request carrying `context`. */
const contextFaces: { name: string; send: (context: string) => Promise<Response>; openAI?: boolean }[] = [
	{
		name: 'POST /api/chat',
		send: (context) =>
			postJson(
				'/api/chat',
				`{"id":"task_${crypto.randomUUID().slice(0, 8)}","messages":[{"id":"m1","role":"user","parts":[{"type":"text","text":"Hi"}]}],"context":${context}}`
			)
	},
	{
		name: 'POST /api/agent/chat/',
		send: (context) => postJson('/api/agent/chat/', `{"message":"Hi","agent_id":"assistant","context":${context}}`)
	},
	{
		name: 'POST /api/agent/stream/',
		send: (context) => postJson('/api/agent/stream/', `{"message":"Hi","agent_id":"assistant","context":${context}}`)
	},
	{
		name: 'POST /assistant',
		send: (context) =>
			postJson(
				'/assistant',
				`{"commands":[{"type":"add-message","message":{"role":"user","id":"u_1","parts":[{"type":"text","text":"Hi"}]},"parentId":null,"sourceId":null}],"state":{},"threadId":"__LOCALID_abc123","callSettings":{},"config":{},"context":${context}}`
			)
	},
	{
		name: 'POST /v1/chat/completions',
		openAI: true,
		send: (context) =>
			postJson('/v1/chat/completions', `{"model":"assistant","messages":[{"role":"user","content":"Hi"}],"context":${context}}`)
	},
	{
		name: 'POST /api/teams/tasks/{agent}',
		send: (context) => postForm('/api/teams/tasks/assistant', { id_team: 'team-deep', text: 'Hi', context })
	},
	{
		name: 'POST /api/teams/messages',
		send: (context) => postForm('/api/teams/messages', { id_team_agent: 'assistant', id_team: 'team-deep', text: 'Hi', context })
	}
];

describe('JSON nested deeper than JSON_DEPTH_LIMIT', () => {
	it.for(contextFaces)('$name takes a shallow context and refuses a 10,000-deep one with a JSON 400', async (face) => {
		const shallow = await face.send(SHALLOW);
		expect(shallow.status, await shallow.clone().text()).toBeLessThan(300);
		await shallow.body?.cancel();

		const response = await face.send(DEEP);
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		const message = face.openAI ? openAIError.parse(body).error.message : parleyError.parse(body).error.message;
		expect(message, what).toContain(`limit of ${JSON_DEPTH_LIMIT} levels`);
	});

	it('tRPC refuses a 10,000-deep input with a 400 in its error shape', async () => {
		const [task] = await app.db.select().from(tasks).limit(1);
		const response = await app.user.fetch('/api/trpc/admin.tasks.update', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: `{"id":"${task.id}","context":${DEEP}}`
		});
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		const { error } = trpcError.parse(body);
		expect(error.data, what).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
		expect(error.message).toContain(`limit of ${JSON_DEPTH_LIMIT} levels`);
	});

	it('an admin form holding a 10,000-deep context fails its action with 400, not a 500', async () => {
		const [task] = await app.db.select().from(tasks).limit(1);
		const form = new FormData();
		form.append('status', 'active');
		form.append('context', DEEP);
		const response = await app.user.fetch(`/admin/tasks/${task.id}?/update`, {
			method: 'POST',
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
			body: form
		});
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(200);
		// SvelteKit's shape for `fail(400, …)`: the data is serialised with devalue.
		expect(body, what).toMatchObject({ type: 'failure', status: 400 });
		expect(JSON.stringify(body)).toContain(`limit of ${JSON_DEPTH_LIMIT} levels`);
	});
});

describe('tRPC bodies', () => {
	it('answers malformed JSON with a 400 in tRPC’s error shape', async () => {
		const response = await app.user.fetch('/api/trpc/tasks.rename', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"id":'
		});
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		const { error } = trpcError.parse(body);
		expect(error.data, what).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, field: 'body' });
		expect(error.message).toBe('The request body is not valid JSON.');
	});

	it('answers malformed JSON to a batch with one 400 per call', async () => {
		const response = await app.user.fetch('/api/trpc/tasks.rename,tasks.rename?batch=1', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"0":{"id":'
		});
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		const calls = z.array(trpcError).length(2).parse(body);
		for (const call of calls) expect(call.error.data.code).toBe('BAD_REQUEST');
	});

	it('answers a malformed `input` parameter of a query with a 400', async () => {
		const response = await app.user.fetch('/api/trpc/tasks.list?input=%7B%22a%22');
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		expect(trpcError.parse(body).error.data).toMatchObject({ code: 'BAD_REQUEST', field: 'input' });
	});

	it('answers a body over JSON_BODY_LIMIT with 413, declared or chunked', async () => {
		const bytes = new TextEncoder().encode(JSON.stringify({ id: 'x', title: 'x'.repeat(JSON_BODY_LIMIT) }));
		for (const init of [{ body: bytes }, chunked(bytes)]) {
			const response = await app.user.fetch('/api/trpc/tasks.rename', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				...init
			});
			const { body, what } = await jsonError(response);
			expect(response.status, what).toBe(413);
			expect(trpcError.parse(body).error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
		}
	});
});

describe('truncated multipart bodies', () => {
	it('POST /api/files answers 400 JSON', async () => {
		const { body: truncated, type } = truncatedMultipart({ file: 'Hello' });
		const response = await app.user.api('/api/files', { method: 'POST', headers: { 'content-type': type }, body: truncated });
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		expect(parleyError.parse(body).error).toMatchObject({ code: 'invalid_input', field: 'body' });
	});

	it('POST /api/teams/messages answers 400 JSON', async () => {
		const { body: truncated, type } = truncatedMultipart({ id_team_agent: 'assistant', id_team: 't', text: 'Hi' });
		const response = await app.user.api('/api/teams/messages', {
			method: 'POST',
			headers: { 'content-type': type, accept: 'text/event-stream' },
			body: truncated
		});
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		expect(parleyError.parse(body).error.code).toBe('invalid_input');
	});

	it.for<{ name: string; path: string; fields: Record<string, string> }>([
		{ name: 'the log-in form', path: '/login', fields: { email: 'a@example.com', password: 'correct horse battery' } },
		{ name: 'an admin form', path: '/admin/keys?/create', fields: { userId: '1', name: 'cut' } },
		{ name: 'the settings form', path: '/settings?/create', fields: { name: 'cut' } }
	])('$name fails its action with 400 in SvelteKit’s shape, not 500', async ({ path, fields }) => {
		const { body: truncated, type } = truncatedMultipart(fields);
		const response = await app.user.fetch(path, {
			method: 'POST',
			headers: { 'content-type': type, accept: 'application/json', 'x-sveltekit-action': 'true' },
			body: truncated
		});
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		expect(body, what).toMatchObject({ type: 'error', error: { message: 'The form data could not be read.', code: 'invalid_input' } });
	});
});

describe('paths that do not decode', () => {
	it.for(['/%E0%A4%A', '/api/agents/%ff', '/api/chat/%E0%A4%A/stream'])('%s answers 400 JSON', async (path) => {
		const response = await app.user.api(path);
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		expect(parleyError.parse(body).error).toMatchObject({ code: 'invalid_input', field: 'path' });
	});

	it('under /v1 the 400 is in OpenAI’s shape', async () => {
		const response = await app.user.api('/v1/models/%ff');
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(400);
		expect(openAIError.parse(body).error).toMatchObject({ type: 'invalid_request_error', param: 'path' });
	});

	it('a browser still gets the error page', async () => {
		const response = await fetch(`${app.server.baseURL}/%E0%A4%A`, { headers: { accept: 'text/html' } });
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		await response.body?.cancel();
	});
});

describe('bodies over their limit', () => {
	const bigJson = new TextEncoder().encode(JSON.stringify({ message: 'x'.repeat(2 * 1024 * 1024), agent_id: 'assistant' }));

	/**
	 * A multipart upload over REQUEST_SIZE_LIMIT whose files are each within FILE_SIZE_LIMIT, as
	 * bytes with its content type.
	 */
	async function bigUpload(): Promise<{ bytes: Uint8Array<ArrayBuffer>; type: string }> {
		const form = new FormData();
		for (let index = 0; index < 14; index++) {
			form.append('file', new File([new Uint8Array(150_000).fill(65)], `part-${index}.txt`, { type: 'text/plain' }));
		}
		const encoded = new Response(form);
		return { bytes: new Uint8Array(await encoded.arrayBuffer()), type: encoded.headers.get('content-type') ?? '' };
	}

	it('a chunked JSON body over JSON_BODY_LIMIT is refused with 413', async () => {
		const response = await app.user.api('/api/agent/chat/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			...chunked(bigJson)
		});
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(413);
		expect(parleyError.parse(body).error.code).toBe('payload_too_large');
	});

	it('a chunked multipart body over REQUEST_SIZE_LIMIT is refused with 413', async () => {
		const { bytes, type } = await bigUpload();
		const response = await app.user.api('/api/files', { method: 'POST', headers: { 'content-type': type }, ...chunked(bytes) });
		const { body, what } = await jsonError(response);
		expect(response.status, what).toBe(413);
		expect(parleyError.parse(body).error.code).toBe('payload_too_large');
	});

	it('Node’s fetch gets the JSON 413 every time, not a reset connection, and the connection closes', async () => {
		const { bytes, type } = await bigUpload();
		const sends: [string, () => Promise<Response>][] = [
			['json', () => app.user.api('/api/agent/chat/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bigJson })],
			['multipart', () => app.user.api('/api/files', { method: 'POST', headers: { 'content-type': type }, body: bytes })],
			[
				'trpc',
				() => app.user.fetch('/api/trpc/tasks.rename', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bigJson })
			]
		];
		for (const [name, send] of sends) {
			for (let attempt = 1; attempt <= 20; attempt++) {
				const response = await send().catch((error: Error & { cause?: { code?: string } }) => {
					throw new Error(`${name} #${attempt}: ${error.cause?.code ?? error.message}`);
				});
				expect(response.status, `${name} #${attempt}`).toBe(413);
				expect(response.headers.get('connection'), `${name} #${attempt}`).toBe('close');
				await jsonError(response);
			}
		}
	});
});

describe('a body far past its limit under npm start', () => {
	let server: TestServer;

	beforeAll(async () => {
		// Nothing is drained: the answer goes out while the client still sends megabytes.
		server = await startServer({ JSON_BODY_LIMIT: String(JSON_BODY_LIMIT), BODY_DRAIN_LIMIT: '0' }, { entry: 'ws' });
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('still reaches Node’s fetch as the JSON 413: the socket lingers instead of resetting', async () => {
		const body = 'x'.repeat(20 * 1024 * 1024);
		for (let attempt = 1; attempt <= 20; attempt++) {
			const response = await fetch(`${server.baseURL}/api/agent/chat/`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body
			}).catch((error: Error & { cause?: { code?: string } }) => {
				throw new Error(`#${attempt}: ${error.cause?.code ?? error.message}`);
			});
			expect(response.status, `#${attempt}`).toBe(413);
			expect(parleyError.parse(await response.json()).error.code).toBe('payload_too_large');
		}
	});
});
