import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callMcpTool, connectMcp, listMcpTools } from './client';
import { OutputTail, STDERR_TAIL_CHARS, withOutput, type McpStdioEndpoint } from './stdio';

const ENTRY = resolve(import.meta.dirname, '../../../../tests/support/mcp-server/stdio.mjs');
const limits = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };

const endpoint = (...args: string[]): McpStdioEndpoint => ({ transport: 'stdio', command: process.execPath, args: [ENTRY, ...args] });

/** Whether a process runs. */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('OutputTail', () => {
	it('keeps the last characters written, bounded', () => {
		const tail = new OutputTail(10);
		expect(tail.text()).toBe('');
		tail.push('hello ');
		tail.push(Buffer.from('world, again\n'));
		expect(tail.text()).toBe('ld, again');
		expect(withOutput('It exited.', tail)).toBe('It exited. Its last output: ld, again');
		expect(withOutput('It exited.', new OutputTail())).toBe('It exited.');
		const big = new OutputTail();
		big.push('x'.repeat(STDERR_TAIL_CHARS * 3));
		expect(big.text()).toHaveLength(STDERR_TAIL_CHARS);
	});
});

describe('connectMcp over stdio', () => {
	it('starts the program, lists and calls its tools, and stops it on close', async () => {
		const events: (Error | undefined)[] = [];
		const connection = await connectMcp(endpoint(), limits, { onClosed: (error) => events.push(error) });
		const pid = (connection.client.transport as { pid?: number | null } | undefined)?.pid ?? null;
		expect(pid).toEqual(expect.any(Number));
		const tools = await listMcpTools(connection.client, 5000);
		expect(tools.map((tool) => tool.name)).toEqual(['echo', 'pixel', 'explode', 'manual', 'hang']);
		const result = await callMcpTool(connection.client, 'echo', { text: 'piped' }, { timeoutMs: 5000, maxBytes: 1000 });
		expect(result.content).toEqual([{ type: 'text', text: 'echo: piped' }]);
		await connection.close();
		expect(alive(pid!)).toBe(false);
		// A close asked for is not a failure.
		expect(events).toEqual([]);
	});

	it('reports a program that exits on its own, quoting its stderr', async () => {
		const closed = Promise.withResolvers<Error | undefined>();
		const connection = await connectMcp(endpoint(), limits, { onClosed: closed.resolve });
		const pid = (connection.client.transport as { pid?: number | null } | undefined)?.pid;
		process.kill(pid!, 'SIGKILL');
		const error = await closed.promise;
		expect(error?.message).toContain(`The program "${process.execPath}" exited.`);
		expect(error?.message).toContain('test-mcp (stdio) started');
		await connection.close();
	});

	it('ends the connection on a message over the size limit, saying why', async () => {
		const closed = Promise.withResolvers<Error | undefined>();
		const connection = await connectMcp(endpoint(), { ...limits, maxBytes: 1000 }, { onClosed: closed.resolve });
		const pid = (connection.client.transport as { pid?: number | null } | undefined)?.pid;
		await expect(
			callMcpTool(connection.client, 'echo', { text: 'x'.repeat(200_000) }, { timeoutMs: 5000, maxBytes: 1000 })
		).rejects.toThrow(/closed/i);
		expect((await closed.promise)?.message).toMatch(/failed: ReadBuffer exceeded maximum size/);
		await connection.close();
		expect(alive(pid!)).toBe(false);
	});

	it('fails to connect to a program that exits at once, with its stderr', async () => {
		await expect(connectMcp(endpoint('--fail', 'missing API key'), limits)).rejects.toThrow(/Could not connect.*missing API key/s);
	});

	it('fails to connect to a program that does not exist', async () => {
		await expect(connectMcp({ transport: 'stdio', command: '/no/such/program', args: [] }, limits)).rejects.toThrow(/ENOENT/);
	});
});
