import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { AppError } from '../errors';
import { callMcpTool, connectMcp, errorMessage, listMcpTools, type McpEndpoint } from '../mcp/client';
import { mcpFetch, type FetchLike } from '../mcp/mcp-fetch';
import { parseAllowedHosts } from '../net/allowed-hosts';
import { isObject } from '../../is-object';
import { autoApprove, CliOAuthProvider, startLoopbackReceiver, type Authorize } from './mcp-oauth-provider';

/**
 * `npm run cli -- mcp-client <url>`: an operator's probe of an MCP server. It connects the way
 * runs do — the same client, the same SSRF rules (private addresses only for hosts in
 * `HTTP_TOOL_ALLOWED_HOSTS` or `--allow-host`), the same time limits and size cap — prints the
 * server's tools with their input schemas, and with `--call NAME [--args JSON]` calls one and
 * prints its result. With `--oauth` it signs in when the server asks (the SDK's OAuth client:
 * discovery, dynamic or pre-registered client, PKCE): the operator opens the printed address and
 * the browser comes back to a loopback listener. Exit code 1 when the server cannot be reached,
 * the sign-in, the call fails or the tool reports an error; 2 for bad options.
 */

/** How the probe signs in. */
export interface McpProbeOAuth {
	clientId?: string;
	clientSecret?: string;
	clientMetadataUrl?: string;
	scope?: string;
	/** Port of the loopback listener (0: any free one). */
	port: number;
	/** Take the code from the authorization endpoint's redirect instead of waiting for a browser. */
	autoApprove: boolean;
	/** How long to wait for the operator's sign-in, in milliseconds. */
	timeoutMs: number;
}

/** The options of the probe. */
export interface McpProbeOptions {
	url: string;
	headers: Record<string, string>;
	allowHosts: string[];
	call?: string;
	args: Record<string, unknown>;
	oauth?: McpProbeOAuth;
}

/** Bad options: the CLI prints the message and exits 2. */
export class UsageError extends AppError {
	override name = 'UsageError';
	constructor(message: string) {
		super('invalid_input', message);
	}
}

/** Parses `Name: value` header options. */
export function parseHeaderOptions(lines: string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		const name = colon > 0 ? line.slice(0, colon).trim() : '';
		if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
			throw new UsageError(`--header "${line}" must look like "Name: value".`);
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
		throw new UsageError('--args must be JSON, e.g. \'{"text":"hi"}\'.');
	}
	if (!isObject(value)) throw new UsageError('--args must be a JSON object.');
	return value;
}

/** Default time to wait for the operator's sign-in. */
const DEFAULT_SIGN_IN_SECONDS = 300;

/** Parses a whole number option within bounds. */
function wholeNumber(name: string, value: string, min: number, max: number): number {
	const number = Number(value);
	if (value.trim() === '' || !Number.isInteger(number) || number < min || number > max) {
		throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}".`);
	}
	return number;
}

/** A non-empty text option. */
function text(name: string, value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	if (value.trim() === '') throw new UsageError(`--${name} must not be empty.`);
	if (value.length > 2000) throw new UsageError(`--${name} is too long (at most 2000 characters).`);
	return value.trim();
}

/** Parses the command line of `mcp-client` (after the command's name). */
export function parseMcpClientArgs(argv: string[]): McpProbeOptions {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			options: {
				header: { type: 'string', multiple: true },
				'allow-host': { type: 'string', multiple: true },
				call: { type: 'string' },
				args: { type: 'string' },
				oauth: { type: 'boolean' },
				'client-id': { type: 'string' },
				'client-secret': { type: 'string' },
				'client-metadata-url': { type: 'string' },
				scope: { type: 'string' },
				'oauth-port': { type: 'string' },
				'oauth-timeout': { type: 'string' },
				'oauth-auto-approve': { type: 'boolean' }
			},
			allowPositionals: true,
			strict: true
		});
	} catch (error) {
		if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
			throw new UsageError(error.message);
		}
		throw error;
	}
	const { values, positionals } = parsed;
	if (positionals.length !== 1) throw new UsageError('mcp-client needs one URL, e.g. npm run cli -- mcp-client https://example.com/mcp');
	const headers = parseHeaderOptions(values.header ?? []);
	const call = text('call', values.call);
	if (values.args !== undefined && !call) throw new UsageError('--args needs --call NAME.');
	const args = parseArguments(values.args);

	const oauthOptions = [
		'client-id',
		'client-secret',
		'client-metadata-url',
		'scope',
		'oauth-port',
		'oauth-timeout',
		'oauth-auto-approve'
	] as const;
	const stray = oauthOptions.find((name) => values[name] !== undefined);
	if (stray && !values.oauth) throw new UsageError(`--${stray} needs --oauth.`);
	let oauth: McpProbeOAuth | undefined;
	if (values.oauth) {
		if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
			throw new UsageError('--oauth signs in by itself: leave out the Authorization header.');
		}
		const clientId = text('client-id', values['client-id']);
		const clientSecret = text('client-secret', values['client-secret']);
		if (clientSecret && !clientId) throw new UsageError('--client-secret needs --client-id.');
		const clientMetadataUrl = text('client-metadata-url', values['client-metadata-url']);
		if (clientMetadataUrl) {
			let metadataUrl: URL | undefined;
			try {
				metadataUrl = new URL(clientMetadataUrl);
			} catch {
				// Reported below.
			}
			if (metadataUrl?.protocol !== 'https:' || metadataUrl.pathname === '/') {
				throw new UsageError('--client-metadata-url must be an https URL with a path, e.g. https://example.com/parley-cli.json.');
			}
		}
		oauth = {
			...(clientId ? { clientId } : {}),
			...(clientSecret ? { clientSecret } : {}),
			...(clientMetadataUrl ? { clientMetadataUrl } : {}),
			...(values.scope !== undefined ? { scope: text('scope', values.scope) } : {}),
			port: values['oauth-port'] === undefined ? 0 : wholeNumber('oauth-port', values['oauth-port'], 1, 65535),
			autoApprove: values['oauth-auto-approve'] === true,
			timeoutMs:
				(values['oauth-timeout'] === undefined ? DEFAULT_SIGN_IN_SECONDS : wholeNumber('oauth-timeout', values['oauth-timeout'], 1, 3600)) *
				1000
		};
	}
	return {
		url: positionals[0],
		headers,
		allowHosts: values['allow-host'] ?? [],
		...(call ? { call } : {}),
		args,
		...(oauth ? { oauth } : {})
	};
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

/** A `fetch` whose requests end after `timeoutMs` unless the caller gives its own signal. */
function timed(fetch: FetchLike, timeoutMs: number): FetchLike {
	return (url, init) => fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}

/** What one attempt came to: an exit code, or a sign-in to finish before trying again. */
type Attempt = { exitCode: number } | { signIn: Promise<string> };

/** Runs the probe; returns the exit code. */
export async function probeMcpServer(
	config: Config,
	options: McpProbeOptions,
	print: (text: string) => void,
	printError: (text: string) => void
): Promise<number> {
	const allowedHosts = [...options.allowHosts, ...parseAllowedHosts(config.HTTP_TOOL_ALLOWED_HOSTS)];
	const endpoint: McpEndpoint = { url: options.url, headers: options.headers, allowedHosts };
	const { oauth } = options;
	if (!oauth) {
		// Without a provider nothing starts a sign-in.
		const outcome = await attempt(config, endpoint, options, print, printError, undefined);
		return 'exitCode' in outcome ? outcome.exitCode : 1;
	}

	// Sign-in requests (discovery, registration, tokens) go through the same SSRF rules.
	const fetch = timed(mcpFetch({ allowedHosts, maxBytes: config.MCP_RESULT_LIMIT }), config.MCP_CONNECT_TIMEOUT_MS);
	let receiver;
	try {
		receiver = await startLoopbackReceiver(oauth.port);
	} catch (error) {
		printError(`Could not listen for the sign-in on 127.0.0.1:${oauth.port}: ${errorMessage(error)}`);
		return 1;
	}
	try {
		const waitForBrowser: Authorize = async (authorizationUrl) => {
			print(`The server asks to sign in. Open this address in a browser (waiting at most ${Math.round(oauth.timeoutMs / 1000)} s):`);
			print(authorizationUrl.href);
			return receiver.waitForCode(authorizationUrl.searchParams.get('state') ?? '', oauth.timeoutMs);
		};
		const provider = new CliOAuthProvider({
			redirectUrl: receiver.redirectUrl,
			clientId: oauth.clientId,
			clientSecret: oauth.clientSecret,
			clientMetadataUrl: oauth.clientMetadataUrl,
			scope: oauth.scope,
			authorize: oauth.autoApprove ? autoApprove(fetch, receiver.redirectUrl) : waitForBrowser
		});
		const { auth } = await import('@modelcontextprotocol/sdk/client/auth.js');
		for (;;) {
			const outcome = await attempt(config, { ...endpoint, authProvider: provider }, options, print, printError, provider);
			if ('exitCode' in outcome) return outcome.exitCode;
			try {
				const code = await outcome.signIn;
				// Exchanges the code for tokens (the provider kept the discovery and the PKCE verifier).
				const result = await auth(provider, { serverUrl: options.url, authorizationCode: code, fetchFn: fetch });
				if (result !== 'AUTHORIZED') throw new Error('The authorization server did not issue a token.');
			} catch (error) {
				printError(`Signing in failed: ${errorMessage(error)}`);
				return 1;
			}
			print('Signed in.');
		}
	} finally {
		await receiver.close();
	}
}

/** Connects, lists or calls, and closes; a refusal that started a sign-in comes back as one. */
async function attempt(
	config: Config,
	endpoint: McpEndpoint,
	options: McpProbeOptions,
	print: (text: string) => void,
	printError: (text: string) => void,
	provider: CliOAuthProvider | undefined
): Promise<Attempt> {
	let connection;
	try {
		connection = await connectMcp(endpoint, { timeoutMs: config.MCP_CONNECT_TIMEOUT_MS, maxBytes: config.MCP_RESULT_LIMIT });
	} catch (error) {
		const signIn = provider?.takePendingAuthorization();
		if (signIn) return { signIn };
		printError(`Could not connect to ${options.url}: ${errorMessage(error)}`);
		return { exitCode: 1 };
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
			return { exitCode: 0 };
		}
		const result = await callMcpTool(connection.client, options.call, options.args, {
			timeoutMs: config.MCP_TOOL_TIMEOUT_MS,
			maxBytes: config.MCP_RESULT_LIMIT
		});
		const lines = result.content.map(describeBlock);
		if (result.structuredContent) lines.push(`structured content: ${JSON.stringify(result.structuredContent)}`);
		if (result.isError) {
			printError(`The tool "${options.call}" reported an error:`);
			for (const line of lines) printError(line);
			return { exitCode: 1 };
		}
		print(`The tool "${options.call}" returned:`);
		for (const line of lines) print(line);
		return { exitCode: 0 };
	} catch (error) {
		const signIn = provider?.takePendingAuthorization();
		if (signIn) return { signIn };
		printError(`${options.call ? `Calling "${options.call}"` : 'Listing the tools'} failed: ${errorMessage(error)}`);
		return { exitCode: 1 };
	} finally {
		await connection.close();
	}
}
