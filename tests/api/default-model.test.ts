import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../support/fake-providers';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

/** An OpenAI-compatible server whose model list (`GET /v1/models`) names two models. */
let provider: FakeProvider;
let server: TestServer;
/** The first account, hence an admin. */
let admin: SessionClient;

beforeAll(async () => {
	provider = await startFakeProvider('openai-chat', { models: ['listed-model', 'fake-model'] });
	server = await startServer({ DEFAULT_MODEL: 'compatible:fake-model', OPENAI_COMPATIBLE_BASE_URL: provider.baseURL });
	admin = await signUp(server.baseURL, 'admin@example.com');
});

afterAll(async () => {
	await server?.stop();
	await provider?.close();
});

/** A JSON request of the admin's session. */
async function call(method: string, path: string, body?: unknown) {
	const response = await admin.fetch(path, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return { status: response.status, body: await response.json() };
}

/** The admin's new-agent page as the server renders it. */
async function newAgentPage(): Promise<string> {
	const response = await admin.fetch('/admin/agents/new');
	expect(response.status).toBe(200);
	return response.text();
}

/** The `<option>` elements of the model menu of a page. */
function modelOptions(html: string): string[] {
	const select = /<select[^>]*name="model"[^>]*>([\s\S]*?)<\/select>/.exec(html);
	expect(select).not.toBeNull();
	return select?.[1].match(/<option[^>]*>/g) ?? [];
}

describe('DEFAULT_MODEL for new agents', () => {
	it('is the model of an agent created through POST /api/agents without one', async () => {
		const created = await call('POST', '/api/agents', { slug: 'local', name: 'Local' });
		expect(created.status).toBe(201);
		expect(created.body.model).toBe('compatible:fake-model');
		expect((await call('GET', '/api/agents/local')).body.model).toBe('compatible:fake-model');
	});

	it('is kept out of the way when a model is given, and applies to a PUT without one', async () => {
		const chosen = await call('POST', '/api/agents', { slug: 'chosen', name: 'Chosen', model: 'mock:offline' });
		expect(chosen.body.model).toBe('mock:offline');
		const replaced = await call('PUT', '/api/agents/chosen', { slug: 'chosen', name: 'Chosen again' });
		expect(replaced.status).toBe(200);
		expect(replaced.body.model).toBe('compatible:fake-model');
	});

	it('is preselected in the admin new-agent form', async () => {
		const selected = modelOptions(await newAgentPage()).filter((option) => /\sselected/.test(option));
		expect(selected).toEqual([expect.stringContaining('value="compatible:fake-model"')]);
	});
});

describe('the model menu', () => {
	it('offers the models the OpenAI-compatible server lists at GET /v1/models', async () => {
		// The list is read in the background at start: wait until the menu has it.
		const deadline = Date.now() + 10_000;
		let options = modelOptions(await newAgentPage());
		while (!options.some((option) => option.includes('value="compatible:listed-model"')) && Date.now() < deadline) {
			options = modelOptions(await newAgentPage());
		}
		expect(options.map((option) => /value="([^"]*)"/.exec(option)?.[1])).toEqual([
			'mock:offline',
			'compatible:listed-model',
			'compatible:fake-model'
		]);
		expect(provider.requests.filter((request) => request.path === '/v1/models').length).toBeGreaterThan(0);
	});
});

describe('a provider whose model list never comes', () => {
	it('does not hold the start-up; the menu offers OPENAI_COMPATIBLE_MODELS meanwhile', async () => {
		let asked!: () => void;
		const listAsked = new Promise<void>((resolve) => (asked = resolve));
		const silent = createServer((request) => {
			if (request.url === '/v1/models') asked();
			// never answers
		});
		await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
		const silentURL = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
		// Waiting a minute for the list would exceed the start-up deadline of startServer (45 s).
		const slow = await startServer({
			OPENAI_COMPATIBLE_BASE_URL: silentURL,
			OPENAI_COMPATIBLE_MODELS: 'pinned-model',
			PROVIDER_MODELS_TIMEOUT_MS: '60000'
		});
		try {
			await listAsked;
			const owner = await signUp(slow.baseURL, 'owner@example.com');
			const page = await owner.fetch('/admin/agents/new');
			expect(page.status).toBe(200);
			const values = modelOptions(await page.text()).map((option) => /value="([^"]*)"/.exec(option)?.[1]);
			expect(values).toEqual(['mock:offline', 'compatible:pinned-model']);
		} finally {
			await slow.stop();
			silent.closeAllConnections();
			await new Promise((closed) => silent.close(closed));
		}
	});
});
