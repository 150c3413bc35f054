import { z } from 'zod';
import 'zod-openapi';

/** Parley's JSON error body, as every endpoint outside `/v1` sends it. */
export const errorBodySchema = z
	.object({
		error: z.object({
			code: z.string().meta({ example: 'invalid_input' }),
			message: z.string().meta({ example: 'messages: At least one message is required.' }),
			field: z.string().optional().meta({ example: 'messages' })
		})
	})
	.meta({ id: 'Error', description: 'What went wrong, with the field at fault when there is one.' });

const descriptions: Record<number, string> = {
	400: 'Malformed JSON, or a missing or wrongly typed field (named in `error.field`).',
	401: 'No API key or session, or an invalid one.',
	403: 'Not allowed (an admin-only write, or a cross-site request with a session cookie).',
	404: 'Unknown agent, task or file — or someone else’s.',
	406: 'The request does not accept the response format.',
	409: 'A clash, such as a taken id or a task that is already answering.',
	413: 'The body or a file is larger than the limit, or the history sent has more messages or text than `HISTORY_MESSAGE_LIMIT` or `HISTORY_TEXT_LIMIT` allow (named in `error.message`).',
	415: 'Unsupported content type.',
	422: 'The task context does not satisfy the agent’s context schema.',
	429: 'Too many requests; see the `retry-after` header.'
};

/** Error responses for the given statuses, each with Parley's error body. */
export function errorResponses(...statuses: (keyof typeof descriptions)[]) {
	return Object.fromEntries(
		statuses.map((status) => [
			String(status),
			{ description: descriptions[status], content: { 'application/json': { schema: errorBodySchema } } }
		])
	);
}

/** An OpenAPI security requirement. */
type SecurityRequirement = Record<string, string[]>;

/** Security of endpoints that take an API key or a session, and anonymous callers of public agents. */
export const keyOrAnonymous: SecurityRequirement[] = [{ bearerAuth: [] }, { sessionCookie: [] }, {}];

/** Security of endpoints that need an API key or a session. */
export const keyOrSession: SecurityRequirement[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
