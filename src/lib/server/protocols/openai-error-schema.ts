import { z } from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';

/** The error body of `/v1/*`, in OpenAI's shape (one component for every OpenAI-compatible face). */
export const openAIErrorSchema = z
	.object({
		error: z.object({
			message: z.string().meta({ example: 'No agent "gpt-4o" is available to you.' }),
			type: z.string().meta({ example: 'invalid_request_error' }),
			param: z.string().nullable().meta({ example: 'model' }),
			code: z.string().nullable().meta({ example: 'model_not_found' })
		})
	})
	.meta({ id: 'OpenAIError', description: 'An error in OpenAI’s shape; the SDK picks its error class by status.' });

/**
 * Error responses for the given statuses, each with OpenAI's error body and the face's own
 * description of when it is sent.
 */
export function openAIErrorResponses<Status extends number>(
	descriptions: Readonly<Record<Status, string>>,
	...statuses: Status[]
): Record<string, ZodOpenApiResponseObject> {
	return Object.fromEntries(
		statuses.map((status) => [
			String(status),
			{ description: descriptions[status], content: { 'application/json': { schema: openAIErrorSchema } } }
		])
	);
}
