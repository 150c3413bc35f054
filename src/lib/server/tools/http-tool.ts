import { z } from 'zod';
import { parseAllowedHosts } from '../net/allowed-hosts';
import { DEFAULT_TIMEOUT_MS, safeFetch } from '../net/safe-fetch';
import { ToolError } from './tool-error';
import type { ToolContext } from './tool-context';

/** The methods an HTTP tool may use. */
export const httpToolMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The longest time limit an HTTP tool may set: 5 minutes. */
export const MAX_HTTP_TOOL_TIMEOUT_MS = 300_000;

/** A `{{name}}` placeholder (spaces inside the braces allowed). */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** Whether a URL template is an http(s) URL once its placeholders are filled. */
function isUrlTemplate(template: string): boolean {
	try {
		const protocol = new URL(template.replace(PLACEHOLDER, 'x')).protocol;
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

const hostName = z.string({ message: 'must be a host name' }).trim().min(1, { message: 'must be a host name' });

/** The `config` of a tool of kind `http`. */
export const httpToolConfigSchema = z.object({
	/** The URL, with `{{name}}` placeholders filled (URL-encoded) from the input. */
	url: z
		.string({ message: 'is required' })
		.trim()
		.refine(isUrlTemplate, { message: 'must be an http(s) URL, optionally with {{name}} placeholders' }),
	method: z.preprocess(
		(value) => (typeof value === 'string' ? value.toUpperCase() : value),
		z.enum(httpToolMethods, { message: `must be one of ${httpToolMethods.join(', ')}` }).default('GET')
	),
	/** Header values may contain `{{name}}` placeholders too. */
	headers: z.record(z.string(), z.string({ message: 'must be a string' })).default({}),
	timeout_ms: z
		.number({ message: 'must be a number of milliseconds' })
		.int({ message: 'must be a whole number of milliseconds' })
		.min(1, { message: 'must be at least 1' })
		.max(MAX_HTTP_TOOL_TIMEOUT_MS, { message: `must be at most ${MAX_HTTP_TOOL_TIMEOUT_MS}` })
		.optional(),
	/** Hosts this tool may reach even though they resolve to private or local addresses. */
	allowed_hosts: z.array(hostName, { message: 'must be a list of host names' }).default([])
});

/** A validated HTTP tool config. */
export type HttpToolConfig = z.infer<typeof httpToolConfigSchema>;

/** What an HTTP tool returns to the model: any status, with the body as JSON or text. */
export interface HttpToolOutput {
	status: number;
	body: unknown;
}

/**
 * Validates the `config` of the HTTP tool `toolName`.
 * @throws {ToolError} `The HTTP tool "weather" has a broken config: url: must be an http(s) URL…`
 */
export function parseHttpToolConfig(config: unknown, toolName: string): HttpToolConfig {
	const result = httpToolConfigSchema.safeParse(config);
	if (result.success) return result.data;
	const problems = result.error.issues.map((issue) => {
		const path = issue.path.join('.');
		return path ? `${path}: ${issue.message}` : issue.message;
	});
	throw new ToolError(`The HTTP tool "${toolName}" has a broken config: ${problems.join('; ')}.`);
}

/** The time limit of an HTTP tool: its `timeout_ms`, else 10 s. */
export function httpToolTimeoutMs(config: HttpToolConfig): number {
	return config.timeout_ms ?? DEFAULT_TIMEOUT_MS;
}

/** A value as text: strings as they are, everything else as JSON. */
function textOf(value: unknown): string {
	return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fills `{{name}}` placeholders from `input`, recording the names used. */
function fill(
	template: string,
	input: Record<string, unknown>,
	used: Set<string>,
	where: string,
	encode: (name: string, value: string) => string
): string {
	return template.replace(PLACEHOLDER, (_match, name: string) => {
		const value = input[name];
		if (value === undefined || value === null) {
			throw new ToolError(`The input has no "${name}", which the ${where} needs.`);
		}
		used.add(name);
		return encode(name, textOf(value));
	});
}

/** URL-encodes a placeholder value; `.` and `..` are refused, since they would move up the path. */
function encodeUrlValue(name: string, value: string): string {
	if (value === '.' || value === '..') throw new ToolError(`"${name}" cannot be "${value}".`);
	return encodeURIComponent(value);
}

/** A header value as is; line breaks would start another header, so they are refused. */
function checkHeaderValue(name: string, value: string): string {
	if (/[\r\n\0]/.test(value)) {
		throw new ToolError(`"${name}" cannot contain line breaks, since it goes in a header.`);
	}
	return value;
}

/** Adds input fields to the query string: arrays repeat the key, objects go as JSON. */
function appendQuery(url: URL, fields: Record<string, unknown>): void {
	for (const [name, value] of Object.entries(fields)) {
		for (const item of Array.isArray(value) ? value : [value]) {
			if (item !== undefined && item !== null) url.searchParams.append(name, textOf(item));
		}
	}
}

/**
 * Runs a tool of kind `http`: fills the URL and header templates from the input, sends the rest
 * of the input as query parameters (GET, DELETE) or as a JSON body (POST, PUT, PATCH) through
 * {@link safeFetch}, and returns the status with the body. A non-2xx status is a normal output
 * the model can read; only a refused or failed request throws.
 * @throws {ToolError} on a missing placeholder value or a refused, failed or timed-out request.
 */
export async function runHttpTool(config: HttpToolConfig, input: Record<string, unknown>, context: ToolContext): Promise<HttpToolOutput> {
	const used = new Set<string>();
	const url = new URL(fill(config.url, input, used, 'URL', encodeUrlValue));
	const headers: Record<string, string> = {};
	for (const [name, template] of Object.entries(config.headers)) {
		headers[name] = fill(template, input, used, `"${name}" header`, checkHeaderValue);
	}
	const rest = Object.fromEntries(Object.entries(input).filter(([name, value]) => !used.has(name) && value !== undefined));

	let body: string | undefined;
	if (config.method === 'GET' || config.method === 'DELETE') {
		appendQuery(url, rest);
	} else {
		body = JSON.stringify(rest);
		if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
			headers['content-type'] = 'application/json';
		}
	}

	const allowedHosts = [...config.allowed_hosts, ...parseAllowedHosts(context.config.HTTP_TOOL_ALLOWED_HOSTS)];
	const response = await safeFetch(
		url,
		{ method: config.method, headers, body, signal: context.signal },
		{ allowedHosts, timeoutMs: httpToolTimeoutMs(config) }
	);
	return { status: response.status, body: 'json' in response ? response.json : response.body };
}
