import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { requireAdmin } from '$lib/server/http/require-admin';
import { toUIMessage } from '$lib/server/services/messages';
import { serverCaller } from '$lib/server/trpc/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event.locals, event.url);
	try {
		const detail = await serverCaller(event).admin.tasks.get({ id: event.params.id });
		return {
			task: detail.task,
			totals: detail.totals,
			messages: detail.messages.map((message) => ({
				message: toUIMessage(message),
				info: { status: message.status, error: message.error, model: message.model },
				inputTokens: message.inputTokens,
				outputTokens: message.outputTokens,
				createdAt: message.createdAt
			}))
		};
	} catch (cause) {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, 'This task does not exist.');
		throw cause;
	}
};
