import type { AppError } from '../../errors';
import { openAIErrorResponseOf, toOpenAIErrorBody, type OpenAIErrorBody } from '../openai-errors';

/**
 * The request parameter for fields the shared services name in their own terms: tool call ids,
 * outputs and approvals come in `input` items; the task a response continues is
 * `previous_response_id`, an agent is `model`; a malformed body has no parameter.
 */
const paramOfField: Record<string, string | null> = {
	body: null,
	agentId: 'model',
	id: 'previous_response_id',
	taskId: 'previous_response_id',
	call_id: 'input',
	toolCallId: 'input',
	approvalId: 'input',
	messageId: 'input',
	output: 'input',
	messages: 'input'
};

/** An error of `/v1/responses` in OpenAI's shape; an unknown model is `model_not_found`. */
export function toResponsesError(error: AppError): OpenAIErrorBody {
	return toOpenAIErrorBody(error, paramOfField);
}

/** A JSON error response of `/v1/responses` in OpenAI's shape, with `retry-after` when rate limited. */
export function responsesErrorResponse(thrown: unknown, headers?: HeadersInit): Response {
	return openAIErrorResponseOf(thrown, paramOfField, headers);
}
