import { z } from 'zod';
import 'zod-openapi';

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
