import type { KnowledgeSourceItem } from '$lib/server/trpc/routers/knowledge';

export type { KnowledgeSourceItem };

/** What the admin may ask of a trial search. */
export interface TrySearchInput {
	query: string;
	scope: 'products' | 'documents' | 'all';
	weights: { text: number; vector: number };
	limit?: number;
}

/** A refused or failed request, with a message for people. */
export class KnowledgeRequestError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

/** Whether a source is still being read (the list keeps refreshing while one is). */
export function isUnfinished(source: Pick<KnowledgeSourceItem, 'status'>): boolean {
	return source.status === 'pending' || source.status === 'indexing';
}

/**
 * A readable message for a refused request: the server's own message from its JSON error body
 * when there is one, else one for the status (a proxy's 413 has no JSON body).
 */
export function errorMessageOf(status: number, body: unknown): string {
	if (typeof body === 'object' && body !== null && 'error' in body) {
		const error = (body as { error: unknown }).error;
		if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
			return (error as { message: string }).message;
		}
	}
	if (status === 401) return 'Your session has ended: log in again.';
	if (status === 403) return 'Only admins can manage knowledge.';
	if (status === 404) return 'This agent or source no longer exists.';
	if (status === 413) return 'The file is larger than the server accepts.';
	if (status === 415) return 'Parley cannot read this type of file.';
	if (status === 422) return 'The file could not be read.';
	return `The request failed (${status}). Please try again.`;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
	let response: Response;
	try {
		response = await fetch(path, init);
	} catch {
		throw new KnowledgeRequestError(0, 'The server could not be reached. Check the connection and try again.');
	}
	const body: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
	if (!response.ok) throw new KnowledgeRequestError(response.status, errorMessageOf(response.status, body));
	return body as T;
}

function base(agentId: number): string {
	return `/api/admin/agents/${agentId}/knowledge`;
}

/** The agent's sources, newest first. */
export async function listSources(agentId: number): Promise<KnowledgeSourceItem[]> {
	return (await request<{ sources: KnowledgeSourceItem[] }>(base(agentId))).sources;
}

/** Uploads a file as knowledge; `kind` "auto" makes CSV and JSON catalogues and the rest documents. */
export async function addSource(agentId: number, file: File, kind: 'auto' | 'document' | 'catalogue'): Promise<KnowledgeSourceItem> {
	const form = new FormData();
	form.append('file', file);
	form.append('kind', kind);
	return (await request<{ source: KnowledgeSourceItem }>(base(agentId), { method: 'POST', body: form })).source;
}

/** Removes a source with its chunks. */
export async function deleteSource(agentId: number, sourceId: string): Promise<void> {
	await request(`${base(agentId)}/${encodeURIComponent(sourceId)}`, { method: 'DELETE' });
}

/** Indexes a source again. */
export async function reindexSource(agentId: number, sourceId: string): Promise<void> {
	await request(`${base(agentId)}/${encodeURIComponent(sourceId)}/reindex`, { method: 'POST' });
}

/** Searches the agent's knowledge as its search tool would; answers with the tool's envelope. */
export async function trySearch(agentId: number, input: TrySearchInput): Promise<unknown> {
	return request(`${base(agentId)}/search`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(input)
	});
}
