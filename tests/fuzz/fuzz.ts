/**
 * `npm run fuzz`: a schema-driven fuzz run of every public endpoint in `/openapi.json`, against a
 * built server (run `npm run build` first) on a fresh database. For each operation it sends
 * requests made from the operation's own schemas (path parameters, bodies: JSON or multipart),
 * some fitting and some hostile (wrong types, nasty strings, missing fields), as an admin's API
 * key, another user's key, a session cookie, a bad key and no one. It fails when any answer is a
 * 5xx, an API answer is not JSON, or a JSON answer breaks the schema documented for its status.
 *
 *   npm run fuzz                         # 40 requests an operation, a random seed
 *   npm run fuzz -- --runs 200 --seed 7  # more requests, a given seed (printed by every run)
 *   npm run fuzz -- --only /v1/          # only operations whose path contains /v1/
 */
import { parseArgs } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { schemaArbitrary, type Hints, type Schema } from './schema-arbitrary';
import { isObject } from '../../src/lib/is-object';

const { values: options } = parseArgs({
	options: {
		runs: { type: 'string', default: '40' },
		seed: { type: 'string' },
		only: { type: 'string' },
		hostility: { type: 'string', default: '0.15' }
	}
});
const RUNS = Number(options.runs);
const SEED = options.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(options.seed);
const HOSTILITY = Number(options.hostility);
/** A streamed answer is read to its end, or cut after this long. */
const STREAM_TIMEOUT_MS = 30_000;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

interface Operation {
	method: Method;
	path: string;
	node: Record<string, unknown>;
}

type Caller = 'admin' | 'user' | 'cookie' | 'bad-key' | 'anonymous';

interface FuzzRequest {
	caller: Caller;
	params: Record<string, string>;
	body: unknown;
	/** Whether the body is sent with the content type the operation documents (else as text/plain). */
	documentedType: boolean;
}

interface Failure {
	operation: string;
	problem: string;
	request: FuzzRequest;
	status: number;
	body: string;
}

function pointer(...segments: string[]): string {
	return '#/' + segments.map((segment) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
}

async function main(): Promise<void> {
	console.log(`fuzz: seed ${SEED}, ${RUNS} requests an operation, hostility ${HOSTILITY}`);
	const server = await startServer({
		MOCK_TOKEN_DELAY_MS: '0',
		RATE_LIMIT_PER_MINUTE: '1000000',
		RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000',
		ANONYMOUS_TASKS_PER_HOUR: '1000000',
		LOGIN_FAILURE_LIMIT: '1000000'
	});
	let failures: Failure[] = [];
	let sent = 0;
	try {
		const context = await prepare(server);
		const document = (await (await fetch(`${server.baseURL}/openapi.json`)).json()) as Record<string, unknown>;
		const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
		addFormats(ajv);
		ajv.addSchema(document, 'openapi.json');
		const resolve = (ref: string): Schema => {
			let node: unknown = document;
			for (const segment of ref.replace(/^#\//, '').split('/')) {
				node = isObject(node) ? node[decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
			}
			return (node ?? true) as Schema;
		};

		const operations = listOperations(document).filter((operation) => !options.only || operation.path.includes(options.only));
		for (const [index, operation] of operations.entries()) {
			const label = `${operation.method.toUpperCase()} ${operation.path}`;
			const samples = fc.sample(requestArbitrary(operation, context, resolve), { numRuns: RUNS, seed: SEED + index });
			const before = failures.length;
			const statuses = new Map<number, number>();
			for (const request of samples) {
				sent++;
				const { status, failure } = await probe(server, context, ajv, operation, request);
				statuses.set(status, (statuses.get(status) ?? 0) + 1);
				if (failure) failures.push({ operation: label, ...failure, request });
			}
			const counts = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
			console.log(`${failures.length > before ? '✗' : '✓'} ${label}: ${counts.join(' ')}`);
		}
		const alive = await fetch(`${server.baseURL}/health`)
			.then((response) => response.ok)
			.catch(() => false);
		if (!alive)
			failures.push({
				operation: 'GET /health',
				problem: 'the server stopped answering',
				request: { caller: 'anonymous', params: {}, body: null, documentedType: true },
				status: 0,
				body: server.output().slice(-2000)
			});
	} finally {
		await server.stop();
	}

	failures = distinct(failures);
	for (const failure of failures) {
		console.log(`\n✗ ${failure.operation}: ${failure.problem}`);
		console.log(`  as ${failure.request.caller}, params ${JSON.stringify(failure.request.params)}`);
		console.log(`  body ${truncate(JSON.stringify(failure.request.body) ?? 'none', 600)}`);
		console.log(`  → ${failure.status} ${truncate(failure.body, 600)}`);
	}
	console.log(`\nfuzz: ${sent} requests, ${failures.length} distinct problems (seed ${SEED})`);
	process.exitCode = failures.length > 0 ? 1 : 0;
}

/** The same problem on the same operation is reported once. */
function distinct(failures: Failure[]): Failure[] {
	const seen = new Map<string, Failure>();
	for (const failure of failures) {
		const key = `${failure.operation} ${failure.status} ${failure.problem.slice(0, 120)}`;
		if (!seen.has(key)) seen.set(key, failure);
	}
	return [...seen.values()];
}

function truncate(text: string, length: number): string {
	return text.length > length ? `${text.slice(0, length)}… (${text.length} characters)` : text;
}

/** Every operation of the document; deletes last, so that the rest still finds what they remove. */
function listOperations(document: Record<string, unknown>): Operation[] {
	const operations: Operation[] = [];
	for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, unknown>>)) {
		for (const method of METHODS) {
			if (isObject(item[method])) operations.push({ method, path, node: item[method] });
		}
	}
	const order: Record<Method, number> = { get: 0, post: 1, put: 2, patch: 2, delete: 3 };
	return operations.sort((a, b) => order[a.method] - order[b.method]);
}

interface FuzzContext {
	adminKey: string;
	userKey: string;
	admin: SessionClient;
	/** Real values for path parameters, by name, so that requests reach past the 404s. */
	known: Record<string, string[]>;
	/** Real values for body properties, by name. */
	hints: Hints;
}

/** Two accounts (the first is the admin), an API key each, and a few real things to name in paths. */
async function prepare(server: TestServer): Promise<FuzzContext> {
	const admin = await signUp(server.baseURL, 'admin@example.com');
	const user = await signUp(server.baseURL, 'user@example.com');
	const createKey = async (client: SessionClient) => {
		const response = await client.fetch('/api/trpc/apiKeys.create', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'fuzz' })
		});
		const body = (await response.json()) as { result?: { data?: { key?: string } } };
		const key = body.result?.data?.key;
		if (!key) throw new Error(`Could not make an API key: ${response.status} ${JSON.stringify(body)}`);
		return key;
	};
	const adminKey = await createKey(admin);
	const userKey = await createKey(user);
	const auth = { authorization: `Bearer ${adminKey}` };

	const agents = (await (await fetch(`${server.baseURL}/api/agents/`, { headers: auth })).json()) as
		{ data?: { id: string; slug?: string }[] } | { id: string; slug?: string }[];
	const agentList = Array.isArray(agents) ? agents : (agents.data ?? []);
	const agentIds = agentList.flatMap((agent) => [agent.id, agent.slug ?? agent.id]);
	const tools = (await (await fetch(`${server.baseURL}/api/tools/`, { headers: auth })).json()) as
		{ data?: { id: string }[] } | { id: string }[];
	const toolIds = (Array.isArray(tools) ? tools : (tools.data ?? [])).map((tool) => tool.id);

	const form = new FormData();
	form.append('file', new Blob(['hello fuzz'], { type: 'text/plain' }), 'hello.txt');
	const file = (await (await fetch(`${server.baseURL}/api/files`, { method: 'POST', headers: auth, body: form })).json()) as {
		id?: string;
	};

	const stream = await fetch(`${server.baseURL}/api/agent/stream/`, {
		method: 'POST',
		headers: { ...auth, 'content-type': 'application/json', accept: 'text/event-stream' },
		body: JSON.stringify({ message: 'hello', agent_id: 'assistant' })
	});
	const taskId = (await stream.text()).match(/"session_id":"([^"]+)"/)?.[1] ?? '';

	return {
		adminKey,
		userKey,
		admin,
		known: {
			id: [...agentIds, ...toolIds, file.id ?? '', taskId].filter(Boolean),
			taskId: [taskId].filter(Boolean),
			id_task: [taskId].filter(Boolean),
			id_team_agent: agentIds,
			token: ['x.y']
		},
		hints: {
			agent_id: agentIds,
			agentId: agentIds,
			model: agentIds,
			id_team_agent: agentIds,
			session_id: [taskId].filter(Boolean),
			id_task: [taskId].filter(Boolean),
			files: [[file.id].filter(Boolean)],
			role: ['user'],
			context: [{}]
		}
	};
}

/** Requests for one operation: a caller, path parameters and a body made from its schemas. */
function requestArbitrary(operation: Operation, context: FuzzContext, resolve: (ref: string) => Schema): fc.Arbitrary<FuzzRequest> {
	const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
	const param = (name: string) =>
		fc.oneof(
			{ weight: 3, arbitrary: fc.constantFrom(...(context.known[name]?.length ? context.known[name] : ['x'])) },
			// `.` and `..` would be resolved away by the URL parser, not sent.
			{ weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 80 }).filter((value) => value !== '.' && value !== '..') }
		);
	const bodySchema = requestBodySchema(operation);
	return fc.record({
		caller: fc.constantFrom<Caller>('admin', 'admin', 'user', 'cookie', 'bad-key', 'anonymous'),
		params: fc.record(Object.fromEntries(names.map((name) => [name, param(name)]))) as fc.Arbitrary<Record<string, string>>,
		// Half the bodies fit their schema (to reach past validation), half are hostile.
		body: bodySchema
			? fc.oneof(
					schemaArbitrary(bodySchema.schema, resolve, 0, context.hints),
					schemaArbitrary(bodySchema.schema, resolve, HOSTILITY, context.hints)
				)
			: fc.constant(undefined),
		documentedType: fc.oneof({ weight: 19, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })
	});
}

function requestBodySchema(operation: Operation): { type: string; schema: Schema } | undefined {
	const content = (operation.node.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
	if (!content) return undefined;
	const [type, media] = Object.entries(content)[0] ?? [];
	return type ? { type, schema: media?.schema ?? true } : undefined;
}

/** The body as the operation's documented content type (JSON or multipart), or as plain text. */
function encodeBody(operation: Operation, request: FuzzRequest): { body?: BodyInit; headers: Record<string, string> } {
	const documented = requestBodySchema(operation);
	if (!documented || request.body === undefined) return { headers: {} };
	if (!request.documentedType) return { body: JSON.stringify(request.body), headers: { 'content-type': 'text/plain' } };
	if (documented.type === 'multipart/form-data') {
		const form = new FormData();
		const fields = isObject(request.body) ? request.body : { text: request.body };
		const properties = isObject(documented.schema) && isObject(documented.schema.properties) ? documented.schema.properties : {};
		for (const [name, value] of Object.entries(fields)) {
			const property = properties[name];
			const binary =
				isObject(property) && (property.format === 'binary' || (isObject(property.items) && property.items.format === 'binary'));
			const values = Array.isArray(value) ? value : [value];
			for (const item of values) {
				if (binary) form.append(name, new Blob([typeof item === 'string' ? item : JSON.stringify(item)]), 'fuzz.bin');
				else form.append(name, typeof item === 'string' ? item : JSON.stringify(item));
			}
		}
		return { body: form, headers: {} };
	}
	return { body: JSON.stringify(request.body), headers: { 'content-type': documented.type } };
}

function callerHeaders(context: FuzzContext, caller: Caller, origin: string): Record<string, string> {
	switch (caller) {
		case 'admin':
			return { authorization: `Bearer ${context.adminKey}` };
		case 'user':
			return { authorization: `Bearer ${context.userKey}` };
		case 'cookie':
			return { cookie: context.admin.cookie, origin };
		case 'bad-key':
			return { authorization: 'Bearer pk_not_a_real_key' };
		case 'anonymous':
			return {};
	}
}

/** Sends one request and checks its answer: its status, and what is wrong with it, if anything. */
async function probe(
	server: TestServer,
	context: FuzzContext,
	ajv: InstanceType<typeof Ajv2020>,
	operation: Operation,
	request: FuzzRequest
): Promise<{ status: number; failure?: Omit<Failure, 'operation' | 'request'> }> {
	const failure = await check(server, context, ajv, operation, request);
	return {
		status: failure.status,
		failure: failure.problem ? { problem: failure.problem, status: failure.status, body: failure.body } : undefined
	};
}

/** The answer's status and, when something is wrong with it, the problem. */
async function check(
	server: TestServer,
	context: FuzzContext,
	ajv: InstanceType<typeof Ajv2020>,
	operation: Operation,
	request: FuzzRequest
): Promise<{ status: number; problem?: string; body: string }> {
	const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(request.params[name] ?? 'x'));
	const { body, headers } = encodeBody(operation, request);
	let response: Response;
	try {
		response = await fetch(`${server.baseURL}${path}`, {
			method: operation.method.toUpperCase(),
			headers: { accept: 'application/json, text/event-stream', ...headers, ...callerHeaders(context, request.caller, server.baseURL) },
			body,
			redirect: 'manual',
			signal: AbortSignal.timeout(STREAM_TIMEOUT_MS)
		});
	} catch (error) {
		return { problem: `the request failed: ${(error as Error).message}`, status: 0, body: server.output().slice(-1500) };
	}
	const type = response.headers.get('content-type') ?? '';
	let text: string;
	try {
		text = await response.text();
	} catch (error) {
		return { problem: `reading the answer failed: ${(error as Error).message}`, status: response.status, body: '' };
	}
	if (response.status >= 500) return { problem: `answered ${response.status}`, status: response.status, body: text };
	if (!type.includes('json')) {
		// Streams, file contents and redirects are not JSON; an error always is.
		if (response.status >= 400)
			return { problem: `an error that is not JSON (${type || 'no content type'})`, status: response.status, body: text };
		return { status: response.status, body: '' };
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { problem: 'a JSON content type with a body that is not JSON', status: response.status, body: text };
	}
	const responses = (operation.node.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>;
	const documented = responses[String(response.status)] ?? responses[`${String(response.status)[0]}XX`] ?? responses.default;
	if (!documented)
		return { problem: `status ${response.status} is not documented for this operation`, status: response.status, body: text };
	const mediaType = Object.keys(documented.content ?? {}).find((key) => key.includes('json'));
	if (!mediaType) return { status: response.status, body: '' };
	const statusKey = responses[String(response.status)]
		? String(response.status)
		: responses[`${String(response.status)[0]}XX`]
			? `${String(response.status)[0]}XX`
			: 'default';
	const ref = `openapi.json${pointer('paths', operation.path, operation.method, 'responses', statusKey, 'content', mediaType, 'schema')}`;
	const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
	if (!validate(json)) {
		const issue = validate.errors?.[0];
		return {
			problem: `the answer breaks its documented schema: ${issue?.instancePath || '/'} ${issue?.message}`,
			status: response.status,
			body: text
		};
	}
	return { status: response.status, body: '' };
}

await main();
