/**
 * What the `<parley-chat>` widget asks of a Parley server, always as an anonymous caller (no
 * cookies): the agent's availability, the chat stream, stop, and the history of its task.
 */
import type { ChatMessage, ChatPart } from './ui-stream';

/** The header anonymous callers identify themselves with (api.md, "Anonymous callers"). */
export const ANONYMOUS_ID_HEADER = 'X-Anonymous-Id';

/** Where a widget keeps its ids: per server origin, and per agent for the conversation. */
export const storageKeys = {
	anonymousId: (server: string) => `parley:anonymous-id:${server}`,
	taskId: (server: string, agent: string) => `parley:task-id:${server}:${agent}`
};

/** localStorage when the page may use it (it may not: blocked cookies, sandboxed frames), else memory. */
export function widgetStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
	try {
		const storage = window.localStorage;
		const probe = 'parley:probe';
		storage.setItem(probe, '1');
		storage.removeItem(probe);
		return storage;
	} catch {
		const memory = new Map<string, string>();
		return {
			getItem: (key) => memory.get(key) ?? null,
			setItem: (key, value) => void memory.set(key, value),
			removeItem: (key) => void memory.delete(key)
		};
	}
}

/** A random id of `[A-Za-z0-9_-]` (crypto.randomUUID needs a secure context; this does not). */
export function randomId(prefix: string, bytes = 16): string {
	const values = crypto.getRandomValues(new Uint8Array(bytes));
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	let id = prefix;
	for (const value of values) id += alphabet[value & 63];
	return id;
}

/**
 * The base URL of a server (`https://chat.example.com`, or with a path when Parley is served
 * under one), without a trailing slash; `undefined` when it is not an http(s) URL.
 */
export function serverBase(url: string, relativeTo?: string): string | undefined {
	try {
		const parsed = new URL(url, relativeTo);
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
		return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
	} catch {
		return undefined;
	}
}

/** What a refused or failed request says, for a person. */
export interface RequestFailure {
	/** Set when the agent cannot be used from here (401, 403, 404). */
	refused: boolean;
	title: string;
	detail?: string;
}

/** The message of a JSON error body (Parley's and OpenAI's shapes both have `error.message`). */
async function errorMessage(response: Response): Promise<string | undefined> {
	try {
		const body: unknown = await response.json();
		const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
		return typeof message === 'string' ? message : undefined;
	} catch {
		return undefined;
	}
}

/** Turns a response that is not OK into what the widget shows. */
export async function describeFailure(response: Response): Promise<RequestFailure> {
	const detail = await errorMessage(response);
	if (response.status === 401 || response.status === 403 || response.status === 404) {
		return { refused: true, title: 'This agent is not available here.', detail };
	}
	if (response.status === 429) {
		return { refused: false, title: 'Too many messages at once. Please wait a moment and try again.', detail };
	}
	return { refused: false, title: 'Something went wrong. Please try again.', detail };
}

/** What a network failure (no answer at all, or one the browser refused by CORS) says. */
export const NETWORK_FAILURE: RequestFailure = {
	refused: false,
	title: 'The chat server could not be reached.',
	detail: 'Check the connection, and that this site is allowed to use the server (CORS_ORIGINS).'
};

/** A client of one server for one agent, as an anonymous caller. */
export class ChatClient {
	constructor(
		readonly server: string,
		readonly agent: string,
		private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
	) {}

	get anonymousId(): string | null {
		return this.storage.getItem(storageKeys.anonymousId(this.server));
	}

	/** The conversation's task id, once a first message was accepted. */
	get taskId(): string | null {
		return this.storage.getItem(storageKeys.taskId(this.server, this.agent));
	}

	set taskId(id: string | null) {
		const key = storageKeys.taskId(this.server, this.agent);
		if (id) this.storage.setItem(key, id);
		else this.storage.removeItem(key);
	}

	private headers(json = false): Headers {
		const headers = new Headers({ accept: json ? 'application/json' : 'text/event-stream' });
		if (json) headers.set('content-type', 'application/json');
		const anonymousId = this.anonymousId;
		if (anonymousId) headers.set(ANONYMOUS_ID_HEADER, anonymousId);
		return headers;
	}

	/** Keeps the anonymous id the server made for us (sent back on every later request). */
	private remember(response: Response) {
		const id = response.headers.get(ANONYMOUS_ID_HEADER);
		if (id && !this.anonymousId) this.storage.setItem(storageKeys.anonymousId(this.server), id);
	}

	private url(path: string): string {
		return `${this.server}${path}`;
	}

	/** Whether anonymous callers may use the agent: the response of `GET /v1/models/{slug}`. */
	checkAgent(signal?: AbortSignal): Promise<Response> {
		return fetch(this.url(`/v1/models/${encodeURIComponent(this.agent)}`), { credentials: 'omit', signal });
	}

	/**
	 * Sends one message of the conversation (a user message, or the assistant's with new tool
	 * outputs) to `POST /api/chat`, which answers with the UI message stream.
	 */
	async send(
		taskId: string,
		message: { id: string; role: 'user' | 'assistant'; parts: unknown[] },
		signal: AbortSignal
	): Promise<Response> {
		const response = await fetch(this.url('/api/chat'), {
			method: 'POST',
			credentials: 'omit',
			headers: this.headers(true),
			body: JSON.stringify({ id: taskId, messages: [message], trigger: 'submit-message', agentId: this.agent }),
			signal
		});
		this.remember(response);
		return response;
	}

	/** Stops the task's run (a closed stream alone does not: the run belongs to the server). */
	async stop(taskId: string): Promise<void> {
		try {
			await fetch(this.url(`/api/chat/${encodeURIComponent(taskId)}/stop`), {
				method: 'POST',
				credentials: 'omit',
				headers: this.headers(true),
				body: '{}'
			});
		} catch {
			// Nothing more to do: the run then ends on its own.
		}
	}

	/** The answer still being written on the task, replayed from its start; 204 when none. */
	resume(taskId: string, signal: AbortSignal): Promise<Response> {
		return fetch(this.url(`/api/chat/${encodeURIComponent(taskId)}/stream`), {
			credentials: 'omit',
			headers: this.headers(),
			signal
		});
	}

	/**
	 * The conversation so far, from the task as the team-agent API shows it (its texts; tool
	 * calls and widgets are not part of that view). `null` when the task is gone or not ours.
	 */
	async history(taskId: string, signal?: AbortSignal): Promise<{ messages: ChatMessage[]; running: boolean } | null> {
		const response = await fetch(this.url(`/api/teams/tasks/${encodeURIComponent(this.agent)}/${encodeURIComponent(taskId)}`), {
			credentials: 'omit',
			headers: this.headers(true),
			signal
		});
		if (!response.ok) return null;
		return historyOf(await response.json().catch(() => null));
	}
}

interface TeamTaskExchange {
	request?: { text?: unknown };
	response?: { text?: unknown; is_error?: unknown; is_interrupted?: unknown; error?: unknown } | null;
}

/** Messages from a task of the team-agent API: a question and its answer per exchange. */
export function historyOf(task: unknown): { messages: ChatMessage[]; running: boolean } {
	const content = (task as { content?: unknown } | null)?.content;
	const messages: ChatMessage[] = [];
	let running = false;
	if (!Array.isArray(content)) return { messages, running };
	content.forEach((exchange: TeamTaskExchange, index) => {
		const question = typeof exchange?.request?.text === 'string' ? exchange.request.text : '';
		if (question) messages.push({ id: `history-${index}-q`, role: 'user', parts: [{ type: 'text', text: question }] });
		const answer = exchange?.response;
		if (!answer) {
			running = index === content.length - 1;
			return;
		}
		const parts: ChatPart[] = typeof answer.text === 'string' && answer.text ? [{ type: 'text', text: answer.text }] : [];
		messages.push({
			id: `history-${index}-a`,
			role: 'assistant',
			parts,
			status: answer.is_error ? 'error' : answer.is_interrupted ? 'interrupted' : 'complete',
			error: answer.is_error && typeof answer.error === 'string' ? answer.error : undefined
		});
	});
	return { messages, running };
}
