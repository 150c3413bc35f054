import { getConfig } from '$lib/server/config';
import { newId } from '$lib/server/ids';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { checkHistory } from '$lib/server/protocols/history-limits';
import { onCallerGone } from '$lib/server/protocols/openai/caller-gone';
import { toChatCompletion } from '$lib/server/protocols/openai/chat-completion';
import { openAIErrorResponse } from '$lib/server/protocols/openai/errors';
import { chatCompletionRequestSchema } from '$lib/server/protocols/openai/request';
import { openAIStreamResponse, TASK_ID_HEADER } from '$lib/server/protocols/openai/response';
import { toCallerTurn } from '$lib/server/protocols/openai/to-caller-turn';
import { waitingEvents } from '$lib/server/protocols/openai/waiting-events';
import { AppError } from '$lib/server/errors';
import { summarizeRun } from '$lib/server/runtime/summarize-run';
import { startCallerTurn } from '$lib/server/turns/start-caller-turn';
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
		checkHistory(body.messages, config, 'messages');

		const turn = await startCallerTurn({ db: event.locals.db, config }, toCallerTurn(body, viewer));
		const run = turn.kind === 'run' ? turn.run : null;
		const subscribe = (options?: { onCancel?: () => void }) =>
			run
				? run.subscribe(options)
				: waitingEvents(
						turn.task.id,
						turn.agent.model,
						turn.kind === 'waiting' ? turn.messageId : '',
						turn.kind === 'waiting' ? turn.pending : []
					);
		const stop = (reason: string) => run?.stop(reason);
		headers.set(TASK_ID_HEADER, turn.task.id);
		const context = {
			id: `chatcmpl-${newId()}`,
			created: Math.floor(Date.now() / 1000),
			model: turn.agent.slug,
			includeUsage: body.stream_options?.include_usage === true
		};
		if (body.stream) return openAIStreamResponse(run ?? subscribe(), context, headers, { onCancel: () => stop('caller-gone') });
		const stopListening = onCallerGone(event, () => stop('caller-gone'));
		const summary = await summarizeRun(subscribe()).finally(stopListening);
		if (summary.endReason === 'error') {
			throw new AppError('upstream', summary.error ?? 'The model failed while answering. Try again.');
		}
		return Response.json(toChatCompletion(summary, context), { headers });
	} catch (error) {
		return openAIErrorResponse(error, headers);
	}
};
