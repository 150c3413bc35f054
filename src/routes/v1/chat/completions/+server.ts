import { getConfig } from '$lib/server/config';
import { newId } from '$lib/server/ids';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { onCallerGone } from '$lib/server/protocols/openai/caller-gone';
import { toChatCompletion } from '$lib/server/protocols/openai/chat-completion';
import { openAIErrorResponse } from '$lib/server/protocols/openai/errors';
import { chatCompletionRequestSchema } from '$lib/server/protocols/openai/request';
import { openAIStreamResponse, TASK_ID_HEADER } from '$lib/server/protocols/openai/response';
import { startCompletion } from '$lib/server/protocols/openai/start-completion';
import { AppError } from '$lib/server/errors';
import { summarizeRun } from '$lib/server/runtime/summarize-run';
import type { RequestHandler } from './$types';

/**
 * OpenAI Chat Completions (`api.md` §5), streamed or not. Each request is stored as a task (or
 * appended to `metadata.task_id`), whose id comes back in `X-Parley-Task-Id`. A caller that goes
 * away stops its answer, which is stored as interrupted.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const body = await readJson(event.request, chatCompletionRequestSchema);
		const viewer = await streamingCaller(event, headers, body.anonymous_id);

		const completion = await startCompletion({ db: event.locals.db, config, viewer, body });
		headers.set(TASK_ID_HEADER, completion.task.id);
		const context = {
			id: `chatcmpl-${newId()}`,
			created: Math.floor(Date.now() / 1000),
			model: completion.agent.slug,
			includeUsage: body.stream_options?.include_usage === true
		};
		if (body.stream) {
			const events = completion.subscribe({ onCancel: () => completion.stop('caller-gone') });
			return openAIStreamResponse(events, context, headers);
		}
		const stopListening = onCallerGone(event, () => completion.stop('caller-gone'));
		const summary = await summarizeRun(completion.subscribe()).finally(stopListening);
		if (summary.endReason === 'error') {
			throw new AppError('upstream', summary.error ?? 'The model failed while answering. Try again.');
		}
		return Response.json(toChatCompletion(summary, context), { headers });
	} catch (error) {
		return openAIErrorResponse(error, headers);
	}
};
