import type { Config } from '../config';
import { AppError } from '../errors';
import { callMcpTool, connectMcp, errorMessage, listMcpTools } from '../mcp/client';
import { parseAllowedHosts } from '../net/allowed-hosts';
import { isObject } from '../../is-object';

/**
 * `npm run cli -- mcp-client <url>`: an operator's probe of an MCP server. It connects the way
 * runs do — the same client, the same SSRF rules (private addresses only for hosts in
 * `HTTP_TOOL_ALLOWED_HOSTS` or `--allow-host`), the same time limits and size cap — prints the
 * server's tools with their input schemas, and with `--call NAME [--args JSON]` calls one and
 * prints its result. Exit code 1 when the server cannot be reached, the call fails or the tool
 * reports an error.
 */

/** The options of the probe. */
export interface McpProbeOptions {
	url: string;
	/** `Name: value` lines. */
	headers: string[];
	allowHosts: string[];
	call?: string;
	args?: string;
}

/** Parses `Name: value` header options. */
export function parseHeaderOptions(lines: string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		const name = colon > 0 ? line.slice(0, colon).trim() : '';
		if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
			throw new AppError('invalid_input', `--header "${line}" must look like "Name: value".`);
		}
		headers[name] = line.slice(colon + 1).trim();
	}
	return headers;
}

/** Parses `--args`: a JSON object. */
function parseArguments(text: string | undefined): Record<string, unknown> {
	if (text === undefined) return {};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new AppError('invalid_input', '--args must be JSON, e.g. \'{"text":"hi"}\'.');
	}
	if (!isObject(value)) throw new AppError('invalid_input', '--args must be a JSON object.');
	return value;
}

/** One content block of a result as text lines. */
function describeBlock(block: unknown): string {
	if (!isObject(block)) return String(block);
	switch (block.type) {
		case 'text':
			return String(block.text ?? '');
		case 'image':
		case 'audio': {
			const bytes = typeof block.data === 'string' ? Buffer.from(block.data, 'base64').length : 0;
			return `[${block.type} ${String(block.mimeType ?? '')}, ${bytes} bytes]`;
		}
		case 'resource': {
			const resource = isObject(block.resource) ? block.resource : {};
			return typeof resource.text === 'string' ? resource.text : `[resource ${String(resource.uri ?? '')}]`;
		}
		case 'resource_link':
			return `[resource link ${String(block.uri ?? '')}]`;
		default:
			return JSON.stringify(block);
	}
}

/** Runs the probe; returns the exit code. */
export async function probeMcpServer(
	config: Config,
	options: McpProbeOptions,
	print: (text: string) => void,
	printError: (text: string) => void
): Promise<number> {
	const headers = parseHeaderOptions(options.headers);
	const input = parseArguments(options.args);
	if (options.args !== undefined && !options.call) throw new AppError('invalid_input', '--args needs --call NAME.');
	const allowedHosts = [...options.allowHosts, ...parseAllowedHosts(config.HTTP_TOOL_ALLOWED_HOSTS)];
	let connection;
	try {
		connection = await connectMcp(
			{ url: options.url, headers, allowedHosts },
			{ timeoutMs: config.MCP_CONNECT_TIMEOUT_MS, maxBytes: config.MCP_RESULT_LIMIT }
		);
	} catch (error) {
		printError(`Could not connect to ${options.url}: ${errorMessage(error)}`);
		return 1;
	}
	try {
		const server = connection.client.getServerVersion();
		print(`Connected to ${server?.name ?? 'the MCP server'}${server?.version ? ` ${server.version}` : ''}.`);
		if (!options.call) {
			const tools = await listMcpTools(connection.client, config.MCP_CONNECT_TIMEOUT_MS);
			print(tools.length === 0 ? 'The server offers no tools.' : `${tools.length} tool${tools.length === 1 ? '' : 's'}:`);
			for (const tool of tools) {
				print('');
				print(`${tool.name}${tool.description ? ` — ${tool.description}` : ''}`);
				print(`  input schema: ${JSON.stringify(tool.inputSchema)}`);
			}
			return 0;
		}
		const result = await callMcpTool(connection.client, options.call, input, {
			timeoutMs: config.MCP_TOOL_TIMEOUT_MS,
			maxBytes: config.MCP_RESULT_LIMIT
		});
		const lines = result.content.map(describeBlock);
		if (result.structuredContent) lines.push(`structured content: ${JSON.stringify(result.structuredContent)}`);
		if (result.isError) {
			printError(`The tool "${options.call}" reported an error:`);
			for (const line of lines) printError(line);
			return 1;
		}
		print(`The tool "${options.call}" returned:`);
		for (const line of lines) print(line);
		return 0;
	} catch (error) {
		printError(`${options.call ? `Calling "${options.call}"` : 'Listing the tools'} failed: ${errorMessage(error)}`);
		return 1;
	} finally {
		await connection.close();
	}
}
