import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config';
import { defaultModelId, listModelOptions } from './catalog';
import {
	cachedProviderModels,
	fetchModelList,
	ModelListError,
	refreshProviderModels,
	resetProviderModels,
	stopProviderModels,
	type ModelListSource
} from './provider-models';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A local server whose answers each test chooses; it records the requests it received. */
let server: Server;
let baseURL: string;
let handler: Handler;
const received: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
	server = createServer((request, response) => {
		received.push({ url: request.url ?? '', authorization: request.headers.authorization });
		handler(request, response);
	});
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((closed) => server.close(closed));
});

afterEach(() => {
	received.length = 0;
	resetProviderModels();
});

/** Answers with JSON. */
function json(status: number, body: unknown): Handler {
	return (_request, response) => {
		response.writeHead(status, { 'content-type': 'application/json' });
		response.end(JSON.stringify(body));
	};
}

/** An OpenAI model list of these ids. */
function modelList(...ids: string[]) {
	return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'local' })) };
}

const limits = { timeoutMs: 2000, maxModels: 200, maxBytes: 1024 * 1024 };
const source = (): ModelListSource => ({ provider: 'compatible', baseURL, apiKey: 'local-key', name: 'the test server' });

async function failure(promise: Promise<unknown>): Promise<ModelListError> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(ModelListError);
	return error as ModelListError;
}

describe('fetchModelList', () => {
	it('reads the ids of an OpenAI model list, with the key, in order and without repeats', async () => {
		handler = json(200, modelList('llama3:8b', 'qwen2.5', 'llama3:8b', ' ', 'has space'));
		expect(await fetchModelList(source(), limits)).toEqual(['llama3:8b', 'qwen2.5']);
		expect(received).toEqual([{ url: '/v1/models', authorization: 'Bearer local-key' }]);
	});

	it('keeps at most the limit of models', async () => {
		handler = json(200, modelList(...Array.from({ length: 10 }, (_, n) => `model-${n}`)));
		expect(await fetchModelList(source(), { ...limits, maxModels: 3 })).toEqual(['model-0', 'model-1', 'model-2']);
	});

	it('refuses a list larger than the byte limit, declared or streamed', async () => {
		handler = json(200, modelList(...Array.from({ length: 100 }, (_, n) => `model-${n}`)));
		expect((await failure(fetchModelList(source(), { ...limits, maxBytes: 1024 }))).message).toBe('the list is larger than 1024 bytes');
		handler = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write(`{"object":"list","data":[${'{"id":"m"},'.repeat(200)}`);
			response.end('{"id":"last"}]}');
		};
		expect((await failure(fetchModelList(source(), { ...limits, maxBytes: 1024 }))).message).toBe('the list is larger than 1024 bytes');
	});

	it('names the HTTP status and the server’s message', async () => {
		handler = json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
		expect((await failure(fetchModelList(source(), limits))).message).toBe('HTTP 401 Unauthorized: Incorrect API key provided');
	});

	it('names an answer that is not a model list', async () => {
		handler = json(200, { models: [] });
		expect((await failure(fetchModelList(source(), limits))).message).toContain('not a model list');
		handler = (_request, response) => response.end('<html>');
		expect((await failure(fetchModelList(source(), limits))).message).toBe('the answer is not JSON');
	});

	it('names a server that does not answer in time, and one that refuses the connection', async () => {
		handler = () => {
			// never answers
		};
		expect((await failure(fetchModelList(source(), { ...limits, timeoutMs: 200 }))).message).toBe('no answer within 200 ms');
		const spare = createServer();
		await new Promise<void>((listening) => spare.listen(0, '127.0.0.1', listening));
		const { port } = spare.address() as AddressInfo;
		await new Promise((closed) => spare.close(closed));
		const closed = { ...source(), baseURL: `http://127.0.0.1:${port}/v1` };
		expect((await failure(fetchModelList(closed, limits))).message).toBe('connection refused');
	});
});

describe('the model menu with provider lists', () => {
	const config = () =>
		parseConfig({
			OPENAI_COMPATIBLE_BASE_URL: baseURL,
			OPENAI_COMPATIBLE_MODELS: 'pinned',
			PROVIDER_MODELS_TIMEOUT_MS: '2000'
		});

	it('offers what the server lists after the configured names, once it has been read', async () => {
		handler = json(200, modelList('llama3:8b', 'pinned', 'qwen2.5'));
		// Before the list is read, the menu has the configured names only and makes no request.
		expect(listModelOptions(config()).map((option) => option.id)).toEqual(['mock:offline', 'compatible:pinned']);
		expect(received).toEqual([]);
		await refreshProviderModels(config());
		expect(listModelOptions(config()).map((option) => option.id)).toEqual([
			'mock:offline',
			'compatible:pinned',
			'compatible:llama3:8b',
			'compatible:qwen2.5'
		]);
		expect(defaultModelId(parseConfig({ OPENAI_COMPATIBLE_BASE_URL: baseURL }))).toBe('compatible:llama3:8b');
	});

	it('reads the list once while it is fresh', async () => {
		handler = json(200, modelList('llama3:8b'));
		await refreshProviderModels(config());
		await refreshProviderModels(config());
		expect(cachedProviderModels(config(), 'compatible')).toEqual(['llama3:8b']);
		expect(received).toHaveLength(1);
		await refreshProviderModels(config(), { force: true });
		expect(received).toHaveLength(2);
	});

	it('reads a stale list again on demand, in the background', async () => {
		handler = json(200, modelList('first'));
		await refreshProviderModels(config());
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(Date.now() + 301_000);
			const asked = new Promise<void>((resolve) => {
				handler = (request, response) => {
					resolve();
					json(200, modelList('second'))(request, response);
				};
			});
			// The stale list is offered while the new one is read.
			expect(cachedProviderModels(config(), 'compatible')).toEqual(['first']);
			await asked;
			await refreshProviderModels(config());
			expect(cachedProviderModels(config(), 'compatible')).toEqual(['second']);
			expect(received).toHaveLength(2);
		} finally {
			vi.useRealTimers();
		}
	});

	it('falls back to OPENAI_COMPATIBLE_MODELS and logs one line naming the server and the cause', async () => {
		const lines: string[] = [];
		resetProviderModels((line) => lines.push(line));
		handler = json(500, { error: { message: 'backend down' } });
		await refreshProviderModels(config());
		expect(listModelOptions(config()).map((option) => option.id)).toEqual(['mock:offline', 'compatible:pinned']);
		expect(lines).toEqual([
			`[parley] Could not list the models of the OpenAI-compatible server at ${baseURL}: HTTP 500 Internal Server Error: backend down; offering the models of OPENAI_COMPATIBLE_MODELS.`
		]);
	});

	it('keeps the last list read when a later read fails', async () => {
		const lines: string[] = [];
		resetProviderModels((line) => lines.push(line));
		handler = json(200, modelList('llama3:8b'));
		await refreshProviderModels(config());
		handler = json(503, { error: 'loading' });
		await refreshProviderModels(config(), { force: true });
		expect(cachedProviderModels(config(), 'compatible')).toEqual(['llama3:8b']);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('HTTP 503 Service Unavailable: loading; keeping the list read before.');
	});

	it('stops a read under way when the server shuts down, without a complaint', async () => {
		const lines: string[] = [];
		resetProviderModels((line) => lines.push(line));
		const asked = new Promise<void>((resolve) => {
			handler = () => resolve(); // never answers
		});
		const slow = parseConfig({ OPENAI_COMPATIBLE_BASE_URL: baseURL, PROVIDER_MODELS_TIMEOUT_MS: '60000' });
		const reading = refreshProviderModels(slow);
		await asked;
		stopProviderModels();
		await reading;
		expect(lines).toEqual([]);
		expect(cachedProviderModels(slow, 'compatible')).toBeUndefined();
		// Nothing is read any more.
		await refreshProviderModels(slow, { force: true });
		expect(received).toHaveLength(1);
	});

	it('lists a gateway at OPENAI_BASE_URL instead of the OpenAI suggestions', async () => {
		const gateway = parseConfig({ OPENAI_API_KEY: 'sk-gateway', OPENAI_BASE_URL: baseURL });
		handler = json(200, modelList('gpt-5-mini', 'claude-via-gateway'));
		expect(listModelOptions(gateway).map((option) => option.id)).toContain('openai:gpt-4o');
		await refreshProviderModels(gateway);
		expect(listModelOptions(gateway).map((option) => option.id)).toEqual([
			'mock:offline',
			'openai:gpt-5-mini',
			'openai:claude-via-gateway'
		]);
		expect(received[0].authorization).toBe('Bearer sk-gateway');
		// OpenAI itself (no base URL) is not asked.
		received.length = 0;
		await refreshProviderModels(parseConfig({ OPENAI_API_KEY: 'sk' }));
		expect(received).toEqual([]);
	});
});
