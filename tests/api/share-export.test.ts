import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { signUpWithKey, type ApiUser } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Db;
let admin: ApiUser;
let alice: ApiUser;
let bob: ApiUser;

const LINKS_PER_USER = 3;

beforeAll(async () => {
	server = await startServer({ SHARE_LINKS_PER_USER: String(LINKS_PER_USER), SHARE_SNAPSHOT_LIMIT: '20000' });
	db = await openDatabase({ url: server.databaseUrl });
	admin = await signUpWithKey(server.baseURL, db, 'admin@example.com');
	alice = await signUpWithKey(server.baseURL, db, 'alice@example.com');
	bob = await signUpWithKey(server.baseURL, db, 'bob@example.com');
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Asks the default agent over the agent API; returns the task id once the answer is stored. */
async function ask(user: ApiUser, message: string, extra: Record<string, unknown> = {}): Promise<string> {
	const response = await user.api('/api/agent/chat/', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ message, agent_id: 'assistant', ...extra })
	});
	expect(response.status).toBe(200);
	const body = (await response.json()) as { session_id: string; status: string };
	expect(body.status).toBe('completed');
	return body.session_id;
}

async function upload(user: ApiUser, name: string, content: string): Promise<string> {
	const form = new FormData();
	form.append('file', new File([content], name, { type: 'text/plain' }));
	const response = await user.api('/api/files', { method: 'POST', body: form });
	expect(response.status).toBe(201);
	return ((await response.json()) as { files: { id: string }[] }).files[0].id;
}

interface ShareLinkBody {
	token: string;
	url: string;
	task_id: string;
	title: string;
	message_count: number;
	created: boolean;
}

function share(user: ApiUser, taskId: string, init: RequestInit = {}) {
	return user.api(`/api/tasks/${taskId}/share`, { method: 'POST', ...init });
}

/** A page or file fetched with no cookie and no key. */
const anonymous = (path: string) => fetch(`${server.baseURL}${path}`);

describe('POST /api/tasks/{id}/share', () => {
	it('publishes a copy readable logged out; later messages stay out until shared again', async () => {
		const taskId = await ask(alice, 'Tell me about otters');
		const response = await share(alice, taskId);
		expect(response.status).toBe(201);
		const link = (await response.json()) as ShareLinkBody;
		expect(link).toMatchObject({ task_id: taskId, message_count: 2, created: true });
		expect(link.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(link.url).toBe(`${server.baseURL}/s/${link.token}`);

		await ask(alice, 'And about beavers', { session_id: taskId });
		const page = await anonymous(`/s/${link.token}`);
		expect(page.status).toBe(200);
		expect(page.headers.get('x-robots-tag')).toContain('noindex');
		const html = await page.text();
		expect(html).toContain('Tell me about otters');
		expect(html).not.toContain('And about beavers');
		expect(html).toContain('name="robots" content="noindex');
		// The person who shared it is not named by their email.
		expect(html).not.toContain('alice@example.com');

		const again = await share(alice, taskId);
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ token: link.token, message_count: 4, created: false });
		expect(await (await anonymous(`/s/${link.token}`)).text()).toContain('And about beavers');
	});

	it('is the owner’s alone: someone else, an admin included, gets 404; no sign-in gets 401', async () => {
		const taskId = await ask(alice, 'Private thoughts');
		for (const other of [bob, admin]) {
			const response = await share(other, taskId);
			expect(response.status).toBe(404);
			expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
		}
		const response = await fetch(`${server.baseURL}/api/tasks/${taskId}/share`, { method: 'POST' });
		expect(response.status).toBe(401);
		expect(await share(alice, 'no-such-task')).toHaveProperty('status', 404);
	});

	it('answers bad bodies with a JSON 400 naming the problem, and takes a title', async () => {
		const taskId = await ask(alice, 'Title test');
		const send = (body: string) => share(alice, taskId, { headers: { 'content-type': 'application/json' }, body });
		for (const [body, field] of [
			['{not json', 'body'],
			['[1]', 'body'],
			['{"title": 5}', 'title'],
			['{"title": ""}', 'title'],
			[JSON.stringify({ title: 'x'.repeat(201) }), 'title'],
			['{"color": "red"}', 'color']
		] as const) {
			const response = await send(body);
			expect(response.status, body).toBe(400);
			const error = ((await response.json()) as { error: { code: string; field?: string } }).error;
			expect(error.code).toBe('invalid_input');
			expect(error.field, body).toBe(field);
		}
		const titled = await send('{"title": "  Shown title  "}');
		expect(titled.status).toBe(201);
		expect(await titled.json()).toMatchObject({ title: 'Shown title' });
	});

	it('refuses more links than SHARE_LINKS_PER_USER and copies over SHARE_SNAPSHOT_LIMIT', async () => {
		const big = await ask(bob, `Remember this: ${'word '.repeat(5000)}`);
		const tooLarge = await share(bob, big);
		expect(tooLarge.status).toBe(413);
		expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');

		for (let index = 0; index < LINKS_PER_USER; index++) {
			expect((await share(bob, await ask(bob, `Chat ${index}`))).status).toBe(201);
		}
		const over = await share(bob, await ask(bob, 'One too many'));
		expect(over.status).toBe(409);
		expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(/Revoke one/);
	});
});

describe('files in a shared chat', () => {
	it('are served through the link only when the copy shows them', async () => {
		const shown = await upload(alice, 'shown.txt', 'the shown file');
		const unshown = await upload(alice, 'unshown.txt', 'a file never sent');
		const taskId = await ask(alice, 'Read this file', { files: [shown] });
		const link = (await (await share(alice, taskId)).json()) as ShareLinkBody;

		const html = await (await anonymous(`/s/${link.token}`)).text();
		expect(html).toContain(`/s/${link.token}/files/${shown}`);
		expect(html).not.toContain(`/api/files/${shown}`);

		const file = await anonymous(`/s/${link.token}/files/${shown}`);
		expect(file.status).toBe(200);
		expect(await file.text()).toBe('the shown file');
		expect(file.headers.get('content-security-policy')).toContain('sandbox');
		expect((await anonymous(`/s/${link.token}/files/${unshown}`)).status).toBe(404);
		expect((await anonymous(`/api/files/${shown}`)).status).not.toBe(200);

		// Revoked: the page and its files are gone at once.
		expect((await alice.api(`/api/share-links/${link.token}`, { method: 'DELETE' })).status).toBe(200);
		expect((await anonymous(`/s/${link.token}`)).status).toBe(404);
		expect((await anonymous(`/s/${link.token}/files/${shown}`)).status).toBe(404);
	});
});

describe('/api/share-links', () => {
	it('lists and revokes the caller’s links only', async () => {
		const taskId = await ask(alice, 'Listed chat');
		const link = (await (await share(alice, taskId)).json()) as ShareLinkBody;

		const mine = (await (await alice.api(`/api/share-links?task_id=${taskId}`)).json()) as { links: ShareLinkBody[] };
		expect(mine.links.map((item) => item.token)).toEqual([link.token]);
		const theirs = (await (await bob.api('/api/share-links')).json()) as { links: ShareLinkBody[] };
		expect(theirs.links.map((item) => item.token)).not.toContain(link.token);

		expect((await bob.api(`/api/share-links/${link.token}`, { method: 'DELETE' })).status).toBe(404);
		expect((await anonymous(`/s/${link.token}`)).status).toBe(200);
		expect((await fetch(`${server.baseURL}/api/share-links/${link.token}`, { method: 'DELETE' })).status).toBe(401);
		expect((await anonymous('/api/share-links')).status).toBe(401);

		// With the session cookie, as the Settings page and the Share dialog send it.
		expect((await alice.fetch(`/api/share-links/${link.token}`, { method: 'DELETE' })).status).toBe(200);
		expect((await anonymous(`/s/${link.token}`)).status).toBe(404);
		expect((await alice.api(`/api/share-links/${link.token}`, { method: 'DELETE' })).status).toBe(404);
	});

	it('answers unknown and malformed tokens with 404', async () => {
		expect((await anonymous('/s/not-a-token')).status).toBe(404);
		expect((await anonymous(`/s/${'A'.repeat(32)}`)).status).toBe(404);
		expect((await anonymous(`/s/${'A'.repeat(32)}/files/anything`)).status).toBe(404);
	});
});

describe('GET /api/tasks/{id}/export', () => {
	it('downloads the active branch as Markdown and as JSON with files by link', async () => {
		const fileId = await upload(alice, 'notes.txt', 'exported notes');
		const taskId = await ask(alice, 'Summarise my notes', { files: [fileId] });

		const markdown = await alice.api(`/api/tasks/${taskId}/export?format=md`);
		expect(markdown.status).toBe(200);
		expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
		expect(markdown.headers.get('content-disposition')).toMatch(/attachment; filename=.*Summarise-my-notes\.md/);
		const text = await markdown.text();
		expect(text).toMatch(/^# Summarise my notes\n/);
		expect(text).toContain(`## You\n\n[notes.txt](${server.baseURL}/api/files/${fileId})\n\nSummarise my notes`);
		expect(text).toMatch(/## Assistant\n\n> \*\*Reasoning\*\*\n>\n> .+\n\nI received 1 attachment: notes\.txt/);

		const json = await alice.api(`/api/tasks/${taskId}/export?format=json`);
		expect(json.status).toBe(200);
		const body = (await json.json()) as {
			format: string;
			task: { id: string; title: string; agent: { slug: string } };
			messages: { role: string; parts: { type: string; url?: string; text?: string }[] }[];
			files: { id: string; url: string }[];
		};
		expect(body.format).toBe('parley.task-export');
		expect(body.task).toMatchObject({ id: taskId, title: 'Summarise my notes', agent: { slug: 'assistant' } });
		expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
		expect(body.messages[0].parts).toContainEqual(expect.objectContaining({ type: 'file', url: `${server.baseURL}/api/files/${fileId}` }));
		expect(body.files).toEqual([expect.objectContaining({ id: fileId, url: `${server.baseURL}/api/files/${fileId}` })]);
		// The owner can open the link.
		expect(await (await alice.api(`/api/files/${fileId}`)).text()).toBe('exported notes');
	});

	it('is the owner’s alone, and names a bad format', async () => {
		const taskId = await ask(alice, 'Export rules');
		expect((await bob.api(`/api/tasks/${taskId}/export?format=md`)).status).toBe(404);
		expect((await admin.api(`/api/tasks/${taskId}/export?format=json`)).status).toBe(404);
		expect((await anonymous(`/api/tasks/${taskId}/export?format=md`)).status).toBe(401);
		for (const query of ['?format=pdf', '']) {
			const response = await alice.api(`/api/tasks/${taskId}/export${query}`);
			expect(response.status).toBe(400);
			expect(await response.json()).toMatchObject({ error: { code: 'invalid_input', field: 'format' } });
		}
	});
});
