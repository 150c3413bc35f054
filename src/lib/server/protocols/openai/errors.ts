import type { AppError } from '../../errors';
import { openAIErrorResponseOf, toOpenAIErrorBody, type OpenAIErrorBody } from '../openai-errors';
import { FIELD_NAMES } from './field-names';

export type { OpenAIErrorBody };

/** An error in OpenAI's shape; an unknown model is `model_not_found`. */
export function toOpenAIError(error: AppError): OpenAIErrorBody {
	return toOpenAIErrorBody(error, FIELD_NAMES);
}

/** A JSON error response in OpenAI's shape, with `retry-after` when rate limited; unexpected errors are logged. */
export function openAIErrorResponse(thrown: unknown, headers?: HeadersInit): Response {
	return openAIErrorResponseOf(thrown, FIELD_NAMES, headers);
}
