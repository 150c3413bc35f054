/**
 * What every fake provider shares: the `node:http` server, the record of requests, the queue of
 * answers, SSE writing, and splitting text into the pieces a real model streams.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderKind = 'openai-responses' | 'openai-chat' | 'anthropic' | 'google';

/** One model step the fake answers with, in order: reasoning, then text, then tool calls. */
export interface FakeStep {
	/**
	 * Streamed in several deltas; Anthropic gets a signature, Gemini a thoughtSignature, OpenAI
	 * Responses an `rs_` item (with `encrypted_content` when the request asked
	 * `include: ['reasoning.encrypted_content']`, summary text only when it asked a summary),
	 * Chat Completions `reasoning_content` deltas (as DeepSeek, vLLM and xAI send them).
	 */
	reasoning?: string;
	/** Streamed in several deltas (split into 3 or more pieces when it is long enough). */
	text?: string;
	/** Streamed arguments in pieces (Gemini: whole functionCall parts, each with a thoughtSignature when reasoning is on). */
	toolCalls?: { name: string; input: Record<string, unknown> }[];
	/**
	 * Token counts, sent the way each provider reports them. `input` counts every prompt token,
	 * cached ones included; `output` counts every generated token, reasoning included.
	 * Defaults: 10 / 20 / 0 / 0. Chat Completions streams usage only when the request set
	 * `stream_options.include_usage`, as the real API does; Anthropic reports no reasoning count.
	 */
	usage?: { input?: number; output?: number; reasoning?: number; cachedInput?: number };
	/** Fail before streaming: HTTP status + the provider's own error JSON body; `retryAfter` sets the retry-after header (seconds). */
	httpError?: { status: number; message?: string; retryAfter?: number };
	/**
	 * Fail after the text has streamed: `'provider'` sends the provider's in-stream error
	 * (Anthropic `event: error` overloaded_error, Responses `error` + `response.failed`, Chat
	 * Completions an error chunk, Gemini an error chunk then the connection ends mid-body);
	 * `'reset'` destroys the socket. Without streaming: `'provider'` answers the provider's
	 * overloaded/server error status, `'reset'` destroys the socket.
	 */
	midStreamError?: 'provider' | 'reset';
	/** Stream the text's first piece, then hold the connection open until the client closes it. */
	hang?: boolean;
}

/** One HTTP request the fake received. */
export interface RecordedRequest {
	method: string;
	/** Path with its query string, e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
	path: string;
	/** Lower-case header names. */
	headers: Record<string, string>;
	/** The parsed JSON body (undefined when there was none or it was not JSON). */
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	/** True when the client closed the connection before the response ended. */
	closedByClient: boolean;
}

/** Token counts with defaults filled in. */
export interface Usage {
	input: number;
	output: number;
	reasoning: number;
	cachedInput: number;
}

/** Fills in a step's usage defaults. */
export function usageOf(step: FakeStep): Usage {
	return {
		input: step.usage?.input ?? 10,
		output: step.usage?.output ?? 20,
		reasoning: step.usage?.reasoning ?? 0,
		cachedInput: step.usage?.cachedInput ?? 0
	};
}

/** A reply the core writes as it is: status, headers and a body already serialised. */
export interface Reply {
	status: number;
	headers?: Record<string, string>;
	body: string;
}

/** What a wire format gets to answer one model call. */
export interface ModelCall {
	request: RecordedRequest;
	/** The path's pieces after the base path, e.g. `['models', 'gemini-2.5-flash:streamGenerateContent']`. */
	segments: string[];
	query: URLSearchParams;
	step: FakeStep;
	res: ServerResponse;
	/** Flushes what is written so far, then destroys the socket (a connection reset). */
	reset(): void;
	/** Leaves the response open; the client closing it is recorded by the core. */
	hold(): void;
}

/** One wire format: its routes, its authentication and error bodies, and its answers. */
export interface WireFormat {
	/** `/v1` or `/v1beta`. */
	basePath: string;
	/** Which kind of request a method and path (after the base path) is, or null for an unknown route. */
	route(method: string, segments: string[]): 'model' | 'models' | null;
	/** The provider's refusal when `apiKey` is set and the request carries another key, else null. */
	checkAuth(request: RecordedRequest, query: URLSearchParams, apiKey: string | undefined): Reply | null;
	/** The provider's error reply for a status (its own JSON body and headers); `model` names the requested model. */
	errorReply(status: number, message?: string, retryAfter?: number, model?: string): Reply;
	/** The provider's answer for an unknown route. */
	notFound(request: RecordedRequest): Reply;
	/** The provider's model list (GET …/models). */
	modelList(models: string[]): unknown;
	/**
	 * The provider's 400/404 for a model call it would refuse, else null: the checks the real API
	 * makes on what clients send back (replayed signatures, reasoning items, tool results).
	 */
	validate(request: RecordedRequest, segments: string[]): Reply | null;
	/** Answers a model call: streams it or sends JSON, honouring midStreamError and hang. */
	answer(call: ModelCall): void;
}

/** How a fake is started. */
export interface FakeProviderOptions {
	/** What GET …/models lists (default `['fake-model']`). */
	models?: string[];
	/** When set, any other key gets the provider's own refusal. */
	apiKey?: string;
	/**
	 * Refuse model calls the real API would refuse, with its own status and message (default
	 * true): Anthropic thinking settings and replayed thinking blocks, Gemini 3 thought
	 * signatures, Responses reasoning items and tool outputs, Chat Completions tool messages.
	 */
	validateRequests?: boolean;
}

/** The handle tests get. */
export interface FakeProvider {
	kind: ProviderKind;
	/** What the AI SDK provider's `baseURL` takes: …/v1 for OpenAI and Anthropic, …/v1beta for Google. */
	baseURL: string;
	/** Every request received, in order (model calls; model-list calls too). */
	requests: RecordedRequest[];
	/** Queue the answers to the next model calls (one FakeStep per call). When the queue is empty the fake answers `{ text: 'Hello from <kind>.' }`. */
	enqueue(...steps: FakeStep[]): void;
	/** Resolves when a request's connection was closed by the client; at once if it already was. */
	waitForClientClose(index?: number): Promise<void>;
	/** Resolves when `count` model requests have arrived. */
	waitForRequests(count: number): Promise<void>;
	/** Model requests only (no model-list calls), in order. */
	modelRequests(): RecordedRequest[];
	close(): Promise<void>;
}

interface Entry {
	request: RecordedRequest;
	closed: Promise<void>;
	markClosed(): void;
}

/** Starts a fake on 127.0.0.1 with a free port. */
export async function serveFake(kind: ProviderKind, wire: WireFormat, options: FakeProviderOptions = {}): Promise<FakeProvider> {
	const models = options.models ?? ['fake-model'];
	const queue: FakeStep[] = [];
	const entries: Entry[] = [];
	const requests: RecordedRequest[] = [];
	const modelEntries: Entry[] = [];
	const arrivalWaiters: (() => void)[] = [];
	let closing = false;

	function notifyArrival() {
		for (const wake of arrivalWaiters.splice(0)) wake();
	}

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		let body: unknown;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = undefined;
		}
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
		}
		const request: RecordedRequest = {
			method: req.method ?? 'GET',
			path: req.url ?? '/',
			headers,
			body,
			closedByClient: false
		};
		let markClosed!: () => void;
		const closed = new Promise<void>((resolve) => (markClosed = resolve));
		const entry: Entry = { request, closed, markClosed };
		let destroyedByUs = false;
		res.on('close', () => {
			// Connections the fake itself cuts (a reset, or closing the server) are not the client's doing.
			if (!res.writableFinished && !destroyedByUs && !closing) {
				request.closedByClient = true;
				markClosed();
			}
		});
		entries.push(entry);
		requests.push(request);

		const url = new URL(request.path, 'http://fake');
		const segments = url.pathname.startsWith(wire.basePath + '/') ? url.pathname.slice(wire.basePath.length + 1).split('/') : [];
		const route = segments.length ? wire.route(request.method, segments) : null;
		if (route === 'model') modelEntries.push(entry);
		notifyArrival();

		if (!route) return send(res, wire.notFound(request));
		const refusal = wire.checkAuth(request, url.searchParams, options.apiKey);
		if (refusal) return send(res, refusal);
		if (route === 'models') {
			return send(res, { status: 200, body: JSON.stringify(wire.modelList(models)) });
		}
		const invalid = options.validateRequests === false ? null : wire.validate(request, segments);
		if (invalid) return send(res, invalid);
		const step = queue.shift() ?? { text: `Hello from ${kind}.` };
		if (step.httpError) {
			const { status, message, retryAfter } = step.httpError;
			const model = request.body?.model ?? segments[1]?.split(':')[0];
			return send(res, wire.errorReply(status, message, retryAfter, model));
		}
		wire.answer({
			request,
			segments,
			query: url.searchParams,
			step,
			res,
			reset() {
				destroyedByUs = true;
				// Before any byte of the answer the connection just drops; during a stream an empty
				// write's callback runs once everything before it has reached the socket.
				if (!res.headersSent) res.socket?.destroy();
				else res.write('', () => res.socket?.destroy());
			},
			hold() {}
		});
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (!res.headersSent) {
				res.writeHead(500, { 'content-type': 'text/plain' });
				res.end(`fake provider failed: ${String(error)}`);
			} else {
				res.destroy();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	function entryAt(index: number): Promise<Entry> {
		if (entries[index]) return Promise.resolve(entries[index]);
		return new Promise((resolve) => {
			const check = () => {
				if (entries[index]) resolve(entries[index]);
				else arrivalWaiters.push(check);
			};
			arrivalWaiters.push(check);
		});
	}

	return {
		kind,
		baseURL: `http://127.0.0.1:${port}${wire.basePath}`,
		requests,
		enqueue(...steps) {
			queue.push(...steps);
		},
		async waitForClientClose(index) {
			const entry = await entryAt(index ?? Math.max(entries.length - 1, 0));
			await entry.closed;
		},
		waitForRequests(count) {
			return new Promise((resolve) => {
				const check = () => {
					if (modelEntries.length >= count) resolve();
					else arrivalWaiters.push(check);
				};
				check();
			});
		},
		modelRequests() {
			return modelEntries.map((entry) => entry.request);
		},
		close() {
			closing = true;
			return new Promise((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			});
		}
	};
}

/** Writes a whole reply. */
export function send(res: ServerResponse, reply: Reply) {
	res.writeHead(reply.status, {
		'content-type': 'application/json',
		...reply.headers
	});
	res.end(reply.body);
}

/** Starts an SSE response with the provider's headers. */
export function startEventStream(res: ServerResponse, headers: Record<string, string> = {}) {
	res.writeHead(200, {
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
		...headers
	});
	res.flushHeaders();
}

/**
 * Writes one SSE event: an optional `event:` line, one `data:` line, a blank line. `newline` is
 * `\r\n` for Google, whose `alt=sse` stream ends lines that way.
 */
export function writeEvent(res: ServerResponse, data: unknown, options: { event?: string; newline?: string } = {}) {
	const newline = options.newline ?? '\n';
	const payload = typeof data === 'string' ? data : JSON.stringify(data);
	const eventLine = options.event ? `event: ${options.event}${newline}` : '';
	res.write(`${eventLine}data: ${payload}${newline}${newline}`);
}

/**
 * Splits text the way a model streams it: word by word (each piece keeps the space before it),
 * at least three pieces when the text has three characters, at most 40 pieces.
 */
export function splitText(text: string): string[] {
	const words = text.match(/\s*\S+\s*$|\s*\S+/g) ?? [text];
	if (words.length >= 3) return group(words, 40);
	return splitEvenly(text, 3);
}

/** Splits a tool call's JSON arguments into about four pieces, as the providers stream them. */
export function splitArguments(json: string): string[] {
	return splitEvenly(json, 4);
}

function splitEvenly(text: string, count: number): string[] {
	const chars = Array.from(text);
	if (chars.length === 0) return [''];
	const size = Math.ceil(chars.length / Math.min(count, chars.length));
	const pieces: string[] = [];
	for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
	return pieces;
}

function group(words: string[], max: number): string[] {
	if (words.length <= max) return words;
	const size = Math.ceil(words.length / max);
	const pieces: string[] = [];
	for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(''));
	return pieces;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits, e.g. for `call_…`, `toolu_01…`, `chatcmpl-…`. */
export function randomAlphanumeric(length: number): string {
	const bytes = randomBytes(length);
	let out = '';
	for (let i = 0; i < length; i++) out += ALPHANUMERIC[bytes[i] % ALPHANUMERIC.length];
	return out;
}

/** Random lower-case hex of `length` characters, e.g. for `resp_…`, `rs_…`, `fc_…`. */
export function randomHex(length: number): string {
	return randomBytes(Math.ceil(length / 2))
		.toString('hex')
		.slice(0, length);
}

/** Random base64 of `bytes` bytes: signatures and encrypted reasoning look like this. */
export function randomBase64(bytes: number): string {
	return randomBytes(bytes).toString('base64');
}

/** Seconds since the epoch, as `created` / `created_at` fields carry it. */
export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}
