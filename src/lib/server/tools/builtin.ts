import { z } from 'zod';
import { calculate } from './calculator';
import { currentTime } from './current-time';
import { searchKnowledgeTool, searchProductsTool } from '../knowledge/search-tools';
import { parseAllowedHosts } from '../net/allowed-hosts';
import { safeFetch } from '../net/safe-fetch';
import { ToolError } from './tool-error';
import type { ToolContext } from './tool-context';

/** A built-in tool's implementation: it takes the validated input and its context, and returns JSON. */
export type BuiltinExecute = (input: Record<string, unknown>, context: ToolContext) => unknown | Promise<unknown>;

/** The input of the built-in `http_request` tool. */
export const httpRequestInputSchema = z.object({
	url: z.string({ message: 'must be a URL' }).min(1, { message: 'must be a URL' }),
	method: z
		.preprocess(
			(value) => (typeof value === 'string' ? value.toUpperCase() : value),
			z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], {
				message: 'must be one of GET, POST, PUT, PATCH, DELETE'
			})
		)
		.optional(),
	headers: z.record(z.string(), z.string({ message: 'must be a string' })).optional(),
	body: z.string({ message: 'must be a string' }).optional()
});

/** What `http_request` returns: any status, the content type, and the body as JSON or text. */
export interface HttpRequestOutput {
	status: number;
	contentType: string;
	body: unknown;
}

/**
 * The built-in `http_request` tool: fetches a public http(s) URL through {@link safeFetch}, with
 * only the hosts of `HTTP_TOOL_ALLOWED_HOSTS` exempt from the private-address check.
 * @throws {ToolError} on bad input or a refused, failed or timed-out request.
 */
export async function httpRequest(input: Record<string, unknown>, context: ToolContext): Promise<HttpRequestOutput> {
	const parsed = httpRequestInputSchema.safeParse(input);
	if (!parsed.success) {
		const [issue] = parsed.error.issues;
		throw new ToolError(`Invalid input: ${issue.path.join('.') || 'input'} ${issue.message}.`);
	}
	const { url, method, headers, body } = parsed.data;
	const response = await safeFetch(
		url,
		{ method: method ?? 'GET', headers, body, signal: context.signal },
		{ allowedHosts: parseAllowedHosts(context.config.HTTP_TOOL_ALLOWED_HOSTS) }
	);
	return {
		status: response.status,
		contentType: response.contentType,
		body: 'json' in response ? response.json : response.body
	};
}

/** Built-in tools by name. A tool row of kind `builtin` runs the implementation of its name. */
export const builtinTools: Record<string, BuiltinExecute> = {
	calculator: (input) => calculate({ expression: String(input.expression ?? '') }),
	current_time: (input) => currentTime({ timezone: typeof input.timezone === 'string' ? input.timezone : undefined }),
	http_request: httpRequest,
	search_products: searchProductsTool(),
	search_knowledge: searchKnowledgeTool
};
