import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatClient } from './chat-client';
import { WidgetChat } from './chat-state.svelte';

/** A storage in memory, as localStorage would be. */
function memoryStorage() {
	const values = new Map<string, string>();
	return {
		getItem: (key: string) => values.get(key) ?? null,
		setItem: (key: string, value: string) => void values.set(key, value),
		removeItem: (key: string) => void values.delete(key)
	};
}

/** An SSE body of UI message chunks, as `POST /api/chat` answers. */
function stream(chunks: unknown[]): Response {
	const text = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;
	return new Response(text, { headers: { 'content-type': 'text/event-stream' } });
}

const answer = [
	{ type: 'start', messageId: 'msg_server' },
	{ type: 'text-start', id: 't1' },
	{ type: 'text-delta', id: 't1', delta: 'Hello there' },
	{ type: 'text-end', id: 't1' },
	{ type: 'finish' }
];

/** A chat whose server answers with `routes` (by method and path); the view's calls are recorded. */
function setup(routes: (method: string, path: string, signal?: AbortSignal | null) => Response | Promise<Response>) {
	const calls: string[] = [];
	vi.stubGlobal(
		'fetch',
		vi.fn(async (url: string, init?: RequestInit) => {
			const method = init?.method ?? 'GET';
			const path = new URL(url).pathname;
			calls.push(`${method} ${path}`);
			return routes(method, path, init?.signal);
		})
	);
	const view = { scrollToEnd: vi.fn(), focusComposer: vi.fn() };
	const chat = new WidgetChat(view);
	const client = new ChatClient('https://parley.example', 'front-desk', memoryStorage());
	return { chat, client, view, calls };
}

/** Waits until the chat is idle again (its request ended). */
async function settled(chat: WidgetChat) {
	await vi.waitFor(() => expect(chat.phase).toBe('ready'));
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('WidgetChat', () => {
	it('says what the element lacks without a client', () => {
		const { chat } = setup(() => new Response(null, { status: 500 }));
		chat.connect(undefined, '');
		expect(chat.failure).toMatchObject({ refused: true, title: 'No agent is set.' });
		chat.connect(undefined, 'front-desk');
		expect(chat.failure).toMatchObject({ refused: true, title: 'The chat server is not known.' });
		expect(chat.phase).toBe('ready');
	});

	it('checks the agent, sends a message and streams the answer into the conversation', async () => {
		const { chat, client, view, calls } = setup((method, path) =>
			method === 'POST' && path === '/api/chat' ? stream(answer) : Response.json({ id: 'front-desk' })
		);
		chat.connect(client, 'front-desk');
		await settled(chat);
		chat.input = '  Hi  ';
		chat.submit();
		expect(chat.input).toBe('');
		expect(chat.busy).toBe(true);
		await settled(chat);
		expect(calls).toEqual(['GET /v1/models/front-desk', 'POST /api/chat']);
		expect(chat.messages.map((message) => [message.role, message.status])).toEqual([
			['user', undefined],
			['assistant', 'complete']
		]);
		expect(chat.messages[1].parts).toEqual([expect.objectContaining({ type: 'text', text: 'Hello there' })]);
		expect(client.taskId).toMatch(/^chat_/);
		expect(chat.failure).toBeNull();
		expect(view.focusComposer).toHaveBeenCalled();
	});

	it('takes a refused message back: the question returns to the composer and no task is kept', async () => {
		const { chat, client } = setup((method) =>
			method === 'POST'
				? Response.json({ error: { code: 'forbidden', message: 'Not for you.' } }, { status: 403 })
				: Response.json({ id: 'front-desk' })
		);
		chat.connect(client, 'front-desk');
		await settled(chat);
		chat.input = 'Hi';
		chat.submit();
		await vi.waitFor(() => expect(chat.failure).not.toBeNull());
		await settled(chat);
		expect(chat.failure).toEqual({ refused: true, title: 'This agent is not available here.', detail: 'Not for you.' });
		expect(chat.messages).toEqual([]);
		expect(chat.input).toBe('Hi');
		expect(client.taskId).toBeNull();
	});

	it('stops an answer: the stream is closed and the run is stopped on the server', async () => {
		const { chat, client, calls } = setup((method, path, signal) => {
			if (path.endsWith('/stop')) return new Response(null, { status: 204 });
			if (method !== 'POST') return Response.json({ id: 'front-desk' });
			// An answer that starts and then waits, until the browser closes it on abort.
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(answer[0])}\n\n`));
					signal?.addEventListener('abort', () => controller.error(new DOMException('Aborted', 'AbortError')));
				}
			});
			return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
		});
		chat.connect(client, 'front-desk');
		await settled(chat);
		chat.input = 'Tell me a long story';
		chat.submit();
		await vi.waitFor(() => expect(chat.phase).toBe('streaming'));
		chat.stop();
		await settled(chat);
		expect(calls).toContain(`POST /api/chat/${client.taskId}/stop`);
		expect(chat.messages.at(-1)?.status).toBe('interrupted');
	});
});
