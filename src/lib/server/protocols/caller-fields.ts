import { z } from 'zod';
import 'zod-openapi';

/** The task context of a new task, as the OpenAI-compatible faces take it. */
export const taskContextField = z
	.record(z.string(), z.unknown())
	.nullish()
	.meta({ description: 'The task context of a new task, checked against the agent’s context schema.' });

/** Who an anonymous caller is, for the faces that take it in the body. */
export const anonymousIdField = z
	.string()
	.optional()
	.meta({ description: 'Identifies an anonymous caller of a public agent (or send `X-Anonymous-Id`).' });
