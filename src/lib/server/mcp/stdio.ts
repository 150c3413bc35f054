import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { lazyModule } from '../modules/lazy-module';
import { ToolError } from '../tools/tool-error';

/**
 * MCP servers started as a program and spoken to over its stdin and stdout (`MCP_STDIO=on`), with
 * the official SDK's stdio transport. The program runs without a shell (the command and its
 * arguments as given) with a small environment: the SDK's safe defaults (`PATH`, `HOME`, `USER`,
 * `LOGNAME`, `SHELL`, `TERM`) plus the server's own variables, if any. Its stderr is kept as a
 * bounded tail, quoted when it fails to start or exits. Closing the connection ends its stdin,
 * then sends SIGTERM, then SIGKILL (2 s apart, the SDK's own sequence).
 */

const loadStdio = lazyModule('The MCP stdio transport', () => import('@modelcontextprotocol/sdk/client/stdio.js'));

/** Where a stdio server is: the program to start. */
export interface McpStdioEndpoint {
	transport: 'stdio';
	/** The program (a path, or a name looked up in `PATH`). */
	command: string;
	args: readonly string[];
	/** Variables added to the program's environment. */
	env?: Record<string, string>;
}

/** The most characters of a program's stderr kept. */
export const STDERR_TAIL_CHARS = 2000;

/** Whether an endpoint starts a program. */
export function isStdioEndpoint(endpoint: object): endpoint is McpStdioEndpoint {
	return 'transport' in endpoint && endpoint.transport === 'stdio';
}

/** The last {@link STDERR_TAIL_CHARS} characters written to a stream. */
export class OutputTail {
	#text = '';

	constructor(private readonly limit = STDERR_TAIL_CHARS) {}

	push(chunk: unknown): void {
		this.#text = (this.#text + String(chunk)).slice(-this.limit);
	}

	/** The tail, trimmed; an empty string when nothing was written. */
	text(): string {
		return this.#text.trim();
	}
}

/** A message followed by the program's last output, when it wrote any. */
export function withOutput(message: string, tail: OutputTail): string {
	const output = tail.text();
	return output ? `${message} Its last output: ${output}` : message;
}

/** A started-to-be stdio transport: the SDK starts the program when the client connects. */
export interface StdioTransport {
	transport: Transport;
	/** What the program wrote on stderr lately. */
	stderr: OutputTail;
	/** The program's process id, once started. */
	pid(): number | null;
	/** Why the connection ended, when the program went away on its own. */
	exitError(): ToolError;
}

/** The SDK's stdio transport for an endpoint, with its stderr captured. */
export async function stdioTransportOf(endpoint: McpStdioEndpoint): Promise<StdioTransport> {
	const { StdioClientTransport } = await loadStdio();
	const transport = new StdioClientTransport({
		command: endpoint.command,
		args: [...endpoint.args],
		env: { ...endpoint.env },
		stderr: 'pipe'
	});
	const stderr = new OutputTail();
	transport.stderr?.on('data', (chunk: unknown) => stderr.push(chunk));
	return {
		transport,
		stderr,
		pid: () => transport.pid,
		exitError: () => new ToolError(withOutput(`The program "${endpoint.command}" exited.`, stderr))
	};
}
