import type { Page, Request } from '@playwright/test';

/** One chunk of the AI SDK's UI message stream. */
export type UIChunk = Record<string, unknown> & { type: string };

/** What the chat page posts to /api/chat. */
export interface ChatRequestBody {
	id: string;
	trigger: string;
	messages: { id: string; role: string; parts: (Record<string, unknown> & { type: string })[] }[];
}

/** A text part, streamed in one delta. */
export function text(id: string, value: string): UIChunk[] {
	return [
		{ type: 'text-start', id },
		{ type: 'text-delta', id, delta: value },
		{ type: 'text-end', id }
	];
}

/** A `data-widget` part. */
export function widget(id: string, type: string, data: unknown, extra: Record<string, unknown> = {}): UIChunk[] {
	return [{ type: 'data-widget', id, data: { type, data, ...extra } }];
}

/** A tool call whose input is complete and which waits for its output. */
export function toolCall(toolCallId: string, toolName: string, input: unknown): UIChunk[] {
	return [{ type: 'tool-input-available', toolCallId, toolName, input }];
}

/** An answer's whole body: the chunks between start/finish, as SSE, ending with `[DONE]`. */
export function uiMessageStream(messageId: string, chunks: UIChunk[]): string {
	const all: UIChunk[] = [{ type: 'start', messageId }, { type: 'start-step' }, ...chunks, { type: 'finish-step' }, { type: 'finish' }];
	return [...all.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`), 'data: [DONE]\n\n'].join('');
}

/**
 * Stands in for the server's chat endpoint: each POST /api/chat gets the next queued answer and
 * its JSON body is kept, so a test renders widgets and reads what the page sends without a model.
 */
export class CannedChat {
	/** The bodies posted so far, in order. */
	readonly requests: ChatRequestBody[] = [];
	private readonly answers: string[] = [];

	private constructor(private readonly page: Page) {}

	/** Routes the page's chat requests to the queue. */
	static async install(page: Page): Promise<CannedChat> {
		const canned = new CannedChat(page);
		await page.route('**/api/chat', async (route) => {
			if (route.request().method() !== 'POST') return route.continue();
			canned.requests.push(route.request().postDataJSON() as ChatRequestBody);
			const body = canned.answers.shift();
			if (body === undefined) {
				return route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"message":"No canned answer left."}}' });
			}
			await route.fulfill({
				status: 200,
				headers: { 'content-type': 'text/event-stream', 'x-vercel-ai-ui-message-stream': 'v1', 'cache-control': 'no-cache' },
				body
			});
		});
		return canned;
	}

	/** Queues the answer to the next request. */
	answer(messageId: string, chunks: UIChunk[]): this {
		this.answers.push(uiMessageStream(messageId, chunks));
		return this;
	}

	/** The body of the next chat request the page sends (start waiting before the click that sends it). */
	async nextRequest(): Promise<ChatRequestBody> {
		const request: Request = await this.page.waitForRequest(
			(candidate) => candidate.method() === 'POST' && new URL(candidate.url()).pathname === '/api/chat'
		);
		return request.postDataJSON() as ChatRequestBody;
	}
}
