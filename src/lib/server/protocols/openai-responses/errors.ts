import type { AppError } from '../../errors';
import { openAIErrorResponseOf, toOpenAIErrorBody, type OpenAIErrorBody } from '../openai-errors';
import { FIELD_NAMES } from './field-names';

/** An error of `/v1/responses` in OpenAI's shape; an unknown model is `model_not_found`. */
export function toResponsesError(error: AppError): OpenAIErrorBody {
	return toOpenAIErrorBody(error, FIELD_NAMES);
}

/** A JSON error response of `/v1/responses` in OpenAI's shape, with `retry-after` when rate limited. */
export function responsesErrorResponse(thrown: unknown, headers?: HeadersInit): Response {
	return openAIErrorResponseOf(thrown, FIELD_NAMES, headers);
}
