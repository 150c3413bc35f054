import { error, fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { taskStatuses, type TaskStatus } from '$lib/server/db/schema';
import { JsonInputError, parseJsonWithin } from '$lib/server/http/json-depth';
import { formFailure } from '$lib/server/http/form-failure';
import { requireAdmin } from '$lib/server/http/require-admin';
import { liveCursor } from '$lib/server/live/live-tasks';
import { toUIMessage } from '$lib/server/services/messages';
import { serverCaller } from '$lib/server/trpc/context';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event.locals, event.url);
	try {
		// Read before the messages: the page follows the task live from here and misses nothing.
		const liveEventId = await liveCursor(event.params.id);
		const detail = await serverCaller(event).admin.tasks.get({ id: event.params.id });
		return {
			liveEventId,
			task: detail.task,
			totals: detail.totals,
			messages: detail.messages.map((message) => ({
				message: toUIMessage(message),
				info: { status: message.status, error: message.error, model: message.model },
				inputTokens: message.inputTokens,
				outputTokens: message.outputTokens,
				reasoningTokens: message.reasoningTokens,
				cachedInputTokens: message.cachedInputTokens,
				createdAt: message.createdAt
			}))
		};
	} catch (cause) {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, 'This task does not exist.');
		throw cause;
	}
};

export const actions: Actions = {
	/** Saves the task's status and context; a context the agent's schema refuses comes back on `context`. */
	update: async (event) => {
		requireAdmin(event.locals, event.url);
		const form = await readActionForm(event.request);
		const status = String(form.get('status') ?? '');
		const contextText = String(form.get('context') ?? '');
		const values = { status, context: contextText };
		if (!(taskStatuses as readonly string[]).includes(status)) {
			return fail(400, { message: 'Choose the status active, completed or archived.', field: 'status', values });
		}
		let context: Record<string, unknown> | null = null;
		if (contextText.trim() !== '') {
			let parsed: unknown;
			try {
				parsed = parseJsonWithin(contextText, { field: 'context', subject: 'The context' });
			} catch (thrown) {
				if (!(thrown instanceof JsonInputError)) throw thrown;
				return fail(400, { message: thrown.message, field: 'context', values });
			}
			if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
				return fail(400, { message: 'The context must be a JSON object ({ … }).', field: 'context', values });
			}
			context = parsed as Record<string, unknown>;
		}
		try {
			await serverCaller(event).admin.tasks.update({ id: event.params.id, status: status as TaskStatus, context });
			return { done: 'Saved the task.' };
		} catch (cause) {
			if (cause instanceof TRPCError && cause.code === 'UNPROCESSABLE_CONTENT') {
				return fail(422, { message: cause.message, field: 'context', values });
			}
			return formFailure(cause);
		}
	}
};
