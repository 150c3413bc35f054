import type { Chat } from '@ai-sdk/svelte';
import type { ChatStatus, UIMessage } from 'ai';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LazyChat } from './lazy-chat.svelte';

const notify = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('$lib/components/ui/toast.svelte', () => ({ notify }));

type SdkChat = Chat<UIMessage>;

const message = (id: string, text: string, role: UIMessage['role'] = 'user'): UIMessage => ({
	id,
	role,
	parts: [{ type: 'text', text }]
});

/** A stand-in for the SDK's chat: records calls, submits on send as the SDK does. */
function fakeChat(messages: UIMessage[]) {
	const calls: string[] = [];
	const chat = {
		messages,
		status: 'ready' as ChatStatus,
		error: undefined as Error | undefined,
		sendMessage: vi.fn(async (sent: { text: string }) => {
			calls.push(`send ${sent.text}`);
			chat.messages = [...chat.messages, message(`m${chat.messages.length}`, sent.text)];
			chat.status = 'submitted';
		}),
		regenerate: vi.fn(async () => void calls.push('regenerate')),
		resumeStream: vi.fn(async () => void calls.push('resume')),
		addToolOutput: vi.fn(async () => void calls.push('tool output')),
		addToolApprovalResponse: vi.fn(async () => void calls.push('approval')),
		clearError: vi.fn(() => void calls.push('clear error')),
		stop: vi.fn(async () => void calls.push('stop'))
	};
	return { chat, calls, sdk: chat as unknown as SdkChat };
}

/** A promise settled from outside, as a module fetch is. */
function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
	return { promise, resolve, reject };
}

beforeEach(() => notify.mockClear());

describe('LazyChat', () => {
	it('shows and takes messages without the SDK, which gets the messages shown when it comes', async () => {
		const create = vi.fn(async (messages: UIMessage[]) => fakeChat(messages).sdk);
		const chat = new LazyChat([message('a', 'hello')], create);
		expect(chat.messages.map((m) => m.id)).toEqual(['a']);
		expect(chat.status).toBe('ready');
		expect(chat.error).toBeUndefined();

		chat.messages = [message('a', 'hello'), message('b', 'from another tab', 'assistant')];
		expect(create).not.toHaveBeenCalled();
		expect(chat.loaded).toBe(false);

		await chat.load();
		expect(create).toHaveBeenCalledTimes(1);
		expect(create.mock.calls[0][0].map((m) => m.id)).toEqual(['a', 'b']);
		expect(chat.loaded).toBe(true);
		chat.messages = [message('c', 'later')];
		expect(chat.messages.map((m) => m.id)).toEqual(['c']);
	});

	it('fetches the SDK once, however many ask at the same time', async () => {
		const create = vi.fn(async (messages: UIMessage[]) => fakeChat(messages).sdk);
		const chat = new LazyChat([], create);
		await Promise.all([chat.load(), chat.load(), chat.resumeStream()]);
		expect(create).toHaveBeenCalledTimes(1);
	});

	it('counts as submitted while a message waits for the SDK, then sends it', async () => {
		const fetched = deferred<SdkChat>();
		const chat = new LazyChat([], () => fetched.promise);
		const sent = chat.sendMessage({ text: 'hi' });
		expect(chat.status).toBe('submitted');

		const fake = fakeChat([]);
		fetched.resolve(fake.sdk);
		await sent;
		expect(fake.calls).toEqual(['send hi']);
		expect(chat.status).toBe('submitted');
		expect(chat.messages.map((m) => m.parts)).toEqual([[{ type: 'text', text: 'hi' }]]);
	});

	it('counts as submitted while a resume waits for the server, whose own chat says ready meanwhile', async () => {
		const fake = fakeChat([]);
		const answered = deferred<undefined>();
		fake.chat.resumeStream = vi.fn(() => answered.promise);
		const chat = new LazyChat([], async () => fake.sdk);
		const resumed = chat.resumeStream();
		expect(chat.status).toBe('submitted');
		await vi.waitFor(() => expect(fake.chat.resumeStream).toHaveBeenCalled());
		// The SDK's chat is ready until the server answers: the chat still counts as submitted.
		expect(fake.chat.status).toBe('ready');
		expect(chat.status).toBe('submitted');
		fake.chat.status = 'streaming';
		expect(chat.status).toBe('streaming');
		fake.chat.status = 'ready';
		answered.resolve(undefined);
		await resumed;
		expect(chat.status).toBe('ready');
	});

	it('passes every request on to the SDK once it is there', async () => {
		const fake = fakeChat([message('a', 'q'), message('b', 'answer', 'assistant')]);
		const chat = new LazyChat([], async () => fake.sdk);
		await chat.regenerate({ messageId: 'b' });
		await chat.addToolOutput({ tool: 'lookup', toolCallId: 't1', output: 1 });
		await chat.addToolApprovalResponse({ id: 'x', approved: true });
		chat.clearError();
		await chat.resumeStream();
		await chat.stop();
		expect(fake.calls).toEqual(['regenerate', 'tool output', 'approval', 'clear error', 'resume', 'stop']);
		expect(fake.chat.regenerate).toHaveBeenCalledWith({ messageId: 'b' });
		fake.chat.error = new Error('boom');
		fake.chat.status = 'error';
		expect(chat.error?.message).toBe('boom');
		expect(chat.status).toBe('error');
	});

	it('drops a request still waiting for the SDK when the chat is stopped', async () => {
		const fetched = deferred<SdkChat>();
		const chat = new LazyChat([], () => fetched.promise);
		const sent = chat.sendMessage({ text: 'never mind' });
		await chat.stop();
		const fake = fakeChat([]);
		fetched.resolve(fake.sdk);
		await sent;
		expect(fake.calls).toEqual([]);
		expect(chat.status).toBe('ready');
	});

	it('says so when the SDK cannot be fetched, and tries again at the next request', async () => {
		const fake = fakeChat([]);
		const create = vi
			.fn<(messages: UIMessage[]) => Promise<SdkChat>>()
			.mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
			.mockResolvedValueOnce(fake.sdk);
		const chat = new LazyChat([], create);

		await chat.sendMessage({ text: 'first' });
		expect(notify).toHaveBeenCalledWith('error', expect.stringMatching(/could not load the chat/i));
		expect(chat.status).toBe('ready');
		expect(chat.loaded).toBe(false);

		await chat.sendMessage({ text: 'second' });
		expect(create).toHaveBeenCalledTimes(2);
		expect(fake.calls).toEqual(['send second']);
	});
});
