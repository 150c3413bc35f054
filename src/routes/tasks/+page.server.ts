import { fail } from '@sveltejs/kit';
import { taskStatuses, type TaskStatus } from '$lib/server/db/schema';
import { readFormError } from '$lib/server/http/form-failure';
import { requireLogin } from '$lib/server/http/require-login';
import { serverCaller } from '$lib/server/trpc/context';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

const isStatus = (value: string | null): value is TaskStatus => taskStatuses.some((status) => status === value);

export const load: PageServerLoad = async (event) => {
	requireLogin(event.locals, event.url);
	const params = event.url.searchParams;
	const cursorParam = params.get('cursor');
	const [updatedAt, id] = cursorParam ? cursorParam.split('.', 2) : [];
	const cursor = updatedAt && id && /^\d+$/.test(updatedAt) ? { updatedAt: Number(updatedAt), id } : null;
	const query = (params.get('q') ?? '').trim().slice(0, 200);
	const statusParam = params.get('status');
	const status = isStatus(statusParam) ? statusParam : undefined;
	const agentParam = params.get('agent');
	// Playground tasks are listed only when asked for.
	const sourceParam = params.get('source');
	const source = sourceParam === 'playground' || sourceParam === 'all' ? sourceParam : 'chats';
	const caller = serverCaller(event);
	const agents = await caller.agents.list();
	const agent = agents.find((candidate) => candidate.slug === agentParam);
	const page = await caller.tasks.list({ limit: 30, cursor, query: query || undefined, status, agentId: agent?.id, source });
	return {
		tasks: page.items,
		next: page.nextCursor ? `${page.nextCursor.updatedAt}.${page.nextCursor.id}` : null,
		isFirstPage: cursor === null,
		agents: agents.map(({ slug, name }) => ({ slug, name })),
		filters: { q: query, status: status ?? '', agent: agent?.slug ?? '', source: source === 'chats' ? '' : source }
	};
};

/** Runs a task action, turning refusals into form failures. */
async function act(run: () => Promise<unknown>) {
	try {
		await run();
		return { ok: true };
	} catch (error) {
		const { status, message } = readFormError(error);
		return fail(status, { message });
	}
}

export const actions: Actions = {
	rename: async (event) => {
		requireLogin(event.locals, event.url);
		const form = await readActionForm(event.request);
		const id = String(form.get('id') ?? '');
		const title = String(form.get('title') ?? '');
		return act(() => serverCaller(event).tasks.rename({ id, title }));
	},
	status: async (event) => {
		requireLogin(event.locals, event.url);
		const form = await readActionForm(event.request);
		const status = String(form.get('status') ?? '');
		if (!isStatus(status)) return fail(400, { message: 'Unknown status.' });
		return act(() => serverCaller(event).tasks.setStatus({ id: String(form.get('id') ?? ''), status }));
	},
	delete: async (event) => {
		requireLogin(event.locals, event.url);
		const form = await readActionForm(event.request);
		return act(() => serverCaller(event).tasks.delete({ id: String(form.get('id') ?? '') }));
	}
};
