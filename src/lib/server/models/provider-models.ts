/**
 * The models that providers list themselves: `GET {baseURL}/models` in OpenAI's list format
 * (`{ object: 'list', data: [{ id, object: 'model', owned_by }] }`), which OpenAI-compatible
 * servers (Ollama, vLLM, LM Studio, LiteLLM, …) and OpenAI gateways answer. The server starts
 * reading them in the background (`refreshProviderModels`); the model menu reads the cache
 * (`cachedProviderModels`), which is read again on demand once it is older than
 * `PROVIDER_MODELS_REFRESH_SECONDS`. A list that cannot be read is logged in one line; the menu
 * then offers what the settings name.
 */
import type { Config } from '../config';

/** The providers whose model lists are read. */
export type ListingProvider = 'compatible' | 'openai';

/** Where a provider's model list is read. */
export interface ModelListSource {
	provider: ListingProvider;
	/** The API up to its version segment, e.g. `http://localhost:11434/v1`. */
	baseURL: string;
	apiKey?: string;
	/** Who the server is, for log lines: e.g. `the OpenAI-compatible server at http://…/v1`. */
	name: string;
}

/** How much of a model list is read, and how long Parley waits for it. */
export interface ModelListLimits {
	timeoutMs: number;
	maxModels: number;
	maxBytes: number;
}

/** A model list that could not be read; the message names the cause. */
export class ModelListError extends Error {
	override name = 'ModelListError';
}

/** The longest model name kept: the agent's model field takes 200 characters with its `provider:` prefix. */
const MAX_MODEL_NAME = 180;

/** After a failure, the list is tried again on demand after at most this long (1 minute). */
const RETRY_AFTER_FAILURE_MS = 60_000;

/** A URL without any user name or password in it, for log lines. */
function shownURL(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = '';
		parsed.password = '';
		return parsed.toString().replace(/\/$/, '');
	} catch {
		return url;
	}
}

/** The providers of a configuration whose model lists are read. */
export function modelListSources(config: Config): ModelListSource[] {
	const sources: ModelListSource[] = [];
	if (config.OPENAI_COMPATIBLE_BASE_URL) {
		sources.push({
			provider: 'compatible',
			baseURL: config.OPENAI_COMPATIBLE_BASE_URL,
			apiKey: config.OPENAI_COMPATIBLE_API_KEY,
			name: `the OpenAI-compatible server at ${shownURL(config.OPENAI_COMPATIBLE_BASE_URL)}`
		});
	}
	// OpenAI's own list names every model it has (embeddings, audio, images …); a gateway's names
	// what it routes, so the list is read only when OpenAI is reached through a base URL.
	if (config.OPENAI_API_KEY && config.OPENAI_BASE_URL) {
		sources.push({
			provider: 'openai',
			baseURL: config.OPENAI_BASE_URL,
			apiKey: config.OPENAI_API_KEY,
			name: `the OpenAI endpoint at ${shownURL(config.OPENAI_BASE_URL)}`
		});
	}
	return sources;
}

/** The limits a configuration sets. */
export function modelListLimits(config: Config): ModelListLimits {
	return {
		timeoutMs: config.PROVIDER_MODELS_TIMEOUT_MS,
		maxModels: config.PROVIDER_MODELS_LIMIT,
		maxBytes: config.PROVIDER_MODELS_BODY_LIMIT
	};
}

/** A short reason for a failed request: a timeout, a refused connection, … */
function networkCause(error: unknown, timeoutMs: number): string {
	if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
	if (error instanceof Error && error.name === 'AbortError') return 'stopped: the server is shutting down';
	const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
	const code = cause?.code;
	if (code === 'ECONNREFUSED') return 'connection refused';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
	if (code === 'ECONNRESET') return 'connection reset';
	if (code) return code;
	return cause?.message || (error instanceof Error ? error.message : String(error));
}

/** A body read up to `maxBytes`; more is a `ModelListError`. */
async function readLimited(response: Response, maxBytes: number): Promise<string> {
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body?.cancel();
		throw new ModelListError(`the list is larger than ${maxBytes} bytes`);
	}
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			throw new ModelListError(`the list is larger than ${maxBytes} bytes`);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** What an error body says, when it says it the usual way (`{ error: { message } }` or `{ error: "…" }`). */
function errorMessageOf(body: string): string | undefined {
	try {
		const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
		const error = parsed.error;
		const message =
			typeof error === 'string'
				? error
				: error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string'
					? (error as { message: string }).message
					: typeof parsed.message === 'string'
						? parsed.message
						: undefined;
		return message?.trim().slice(0, 200) || undefined;
	} catch {
		const text = body.trim();
		return text && text.length <= 200 && !text.startsWith('<') ? text : undefined;
	}
}

/**
 * Reads a provider's model list: the ids of `data`, in order, without repeats, at most
 * `maxModels`. A failure is a `ModelListError` naming the cause (HTTP status and the server's
 * message, a timeout, a refused connection, a body too large or not a model list).
 */
export async function fetchModelList(source: ModelListSource, limits: ModelListLimits, abort?: AbortSignal): Promise<string[]> {
	const url = `${source.baseURL.replace(/\/+$/, '')}/models`;
	const headers: Record<string, string> = { accept: 'application/json' };
	if (source.apiKey) headers.authorization = `Bearer ${source.apiKey}`;
	let response: Response;
	let body: string;
	const timeout = AbortSignal.timeout(limits.timeoutMs);
	const signal = abort ? AbortSignal.any([timeout, abort]) : timeout;
	try {
		response = await fetch(url, { headers, signal, redirect: 'follow' });
		body = await readLimited(response, limits.maxBytes);
	} catch (error) {
		if (error instanceof ModelListError) throw error;
		throw new ModelListError(networkCause(error, limits.timeoutMs), { cause: error });
	}
	if (!response.ok) {
		const message = errorMessageOf(body);
		const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
		throw new ModelListError(message ? `${status}: ${message}` : status);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		throw new ModelListError('the answer is not JSON');
	}
	const data = (parsed as { data?: unknown } | null)?.data;
	if (!Array.isArray(data)) throw new ModelListError('the answer is not a model list (no "data" array)');
	const ids: string[] = [];
	const seen = new Set<string>();
	for (const item of data) {
		if (ids.length >= limits.maxModels) break;
		const id = (item as { id?: unknown } | null)?.id;
		if (typeof id !== 'string') continue;
		const name = id.trim();
		if (!name || name.length > MAX_MODEL_NAME || /[\s\u0000-\u001f]/.test(name) || seen.has(name)) continue;
		seen.add(name);
		ids.push(name);
	}
	return ids;
}

/** One provider's cached list. */
interface CacheEntry {
	/** The endpoint and key it was read with: another configuration starts afresh. */
	key: string;
	/** The last list read; null until one was read. */
	models: string[] | null;
	/** When it was last read or tried (ms since the epoch). */
	checkedAt: number;
	/** Whether the last attempt failed. */
	failed: boolean;
	pending: Promise<void> | null;
}

const cache = new Map<ListingProvider, CacheEntry>();

/** Aborts the reads under way when the server stops, so that none holds the process open. */
let stopping = new AbortController();

function keyOf(source: ModelListSource): string {
	return `${source.baseURL}\n${source.apiKey ?? ''}`;
}

/** How a failure is told, in one line; replaceable in tests. */
let warn: (line: string) => void = (line) => console.warn(line);

/** Reads one list again when it is stale (or `force`); a failure keeps the last list read, if any. */
function refreshSource(config: Config, source: ModelListSource, force: boolean): Promise<void> {
	let entry = cache.get(source.provider);
	if (!entry || entry.key !== keyOf(source)) {
		entry = { key: keyOf(source), models: null, checkedAt: Number.NEGATIVE_INFINITY, failed: false, pending: null };
		cache.set(source.provider, entry);
	}
	if (entry.pending) return entry.pending;
	const maxAge = Math.min(config.PROVIDER_MODELS_REFRESH_SECONDS * 1000, entry.failed ? RETRY_AFTER_FAILURE_MS : Number.POSITIVE_INFINITY);
	if (!force && Date.now() - entry.checkedAt < maxAge) return Promise.resolve();
	const current = entry;
	if (stopping.signal.aborted) return Promise.resolve();
	current.pending = fetchModelList(source, modelListLimits(config), stopping.signal)
		.then(
			(models) => {
				current.models = models;
				current.failed = false;
			},
			(error: unknown) => {
				current.failed = true;
				if (stopping.signal.aborted) return;
				const cause = error instanceof Error ? error.message : String(error);
				const fallback =
					current.models !== null
						? 'keeping the list read before'
						: source.provider === 'compatible'
							? 'offering the models of OPENAI_COMPATIBLE_MODELS'
							: 'offering the suggested models';
				warn(`[parley] Could not list the models of ${source.name}: ${cause}; ${fallback}.`);
			}
		)
		.finally(() => {
			current.checkedAt = Date.now();
			current.pending = null;
		});
	return current.pending;
}

/**
 * Reads the model lists of the configured providers (those stale, or all with `force`). Never
 * rejects: a failure is logged and the menu offers what the settings name. The server calls it
 * at start without waiting for it.
 */
export async function refreshProviderModels(config: Config, options: { force?: boolean } = {}): Promise<void> {
	await Promise.all(modelListSources(config).map((source) => refreshSource(config, source, options.force ?? false)));
}

/**
 * The models a provider listed, from the cache; undefined when the list was never read, is not
 * read yet or could not be read. A list that is stale is read again in the background — only once
 * `refreshProviderModels` has started the cache, so that code which never reads lists makes no
 * requests.
 */
export function cachedProviderModels(config: Config, provider: ListingProvider): string[] | undefined {
	const source = modelListSources(config).find((candidate) => candidate.provider === provider);
	if (!source) return undefined;
	const entry = cache.get(provider);
	if (!entry) return undefined;
	void refreshSource(config, source, false);
	const fresh = cache.get(provider);
	return fresh?.key === keyOf(source) ? (fresh.models ?? undefined) : undefined;
}

/** Stops the reads under way and reads no more (the server is shutting down). */
export function stopProviderModels(): void {
	stopping.abort();
}

/** Forgets every list (for tests), and replaces how failures are told when `log` is given. */
export function resetProviderModels(log?: (line: string) => void): void {
	cache.clear();
	stopping = new AbortController();
	warn = log ?? ((line) => console.warn(line));
}
