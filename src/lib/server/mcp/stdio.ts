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
	/** Notes an error of the transport (a message too long, output that is not JSON-RPC). */
	noteError(error: Error): void;
	/** Why the connection ended, when Parley did not end it: the program exited, or its output broke the transport. */
	exitError(): ToolError;
}

/** Room for a message's envelope around a result at the size limit. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * The SDK's stdio transport for an endpoint, with its stderr captured. A single message longer
 * than `maxBytes` (and some room) ends the connection, so a program cannot fill the memory.
 */
export async function stdioTransportOf(endpoint: McpStdioEndpoint, maxBytes: number): Promise<StdioTransport> {
	const { StdioClientTransport } = await loadStdio();
	const transport = new StdioClientTransport({
		command: endpoint.command,
		args: [...endpoint.args],
		env: { ...endpoint.env },
		stderr: 'pipe',
		maxBufferSize: maxBytes + ENVELOPE_BYTES
	});
	const stderr = new OutputTail();
	transport.stderr?.on('data', (chunk: unknown) => stderr.push(chunk));
	let lastError: Error | undefined;
	return {
		transport,
		stderr,
		pid: () => transport.pid,
		noteError: (error) => {
			lastError = error;
		},
		exitError: () => {
			const why = lastError
				? `The connection to the program "${endpoint.command}" failed: ${lastError.message.slice(0, 300)}.`
				: `The program "${endpoint.command}" exited.`;
			return new ToolError(withOutput(why, stderr));
		}
	};
}
