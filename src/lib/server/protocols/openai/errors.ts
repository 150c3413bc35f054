import type { AppError } from '../../errors';
import { openAIErrorResponseOf, toOpenAIErrorBody, type OpenAIErrorBody } from '../openai-errors';

export type { OpenAIErrorBody };

/**
 * The request parameter for fields the shared services name in their own terms: the runtime
 * speaks of tool call ids and outputs, which OpenAI callers send as messages; a task is
 * `metadata.task_id`, an agent is `model`; a malformed body has no parameter.
 */
const paramOfField: Record<string, string | null> = {
	body: null,
	agentId: 'model',
	id: 'metadata.task_id',
	taskId: 'metadata.task_id',
	call_id: 'messages',
	toolCallId: 'messages',
	approvalId: 'messages',
	messageId: 'messages',
	output: 'messages'
};

/** An error in OpenAI's shape; an unknown model is `model_not_found`. */
export function toOpenAIError(error: AppError): OpenAIErrorBody {
	return toOpenAIErrorBody(error, paramOfField);
}

/** A JSON error response in OpenAI's shape, with `retry-after` when rate limited; unexpected errors are logged. */
export function openAIErrorResponse(thrown: unknown, headers?: HeadersInit): Response {
	return openAIErrorResponseOf(thrown, paramOfField, headers);
}
