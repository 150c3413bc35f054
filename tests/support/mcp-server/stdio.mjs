import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { newMcpServer } from './tools.mjs';

/**
 * The test MCP server over stdio: `node tests/support/mcp-server/stdio.mjs [--pid-file FILE]
 * [--bonus] [--fail MESSAGE] [--stubborn]`, with the same tools as the HTTP one (tools.mjs).
 * `--pid-file` writes its process id there once it runs; `--bonus` offers the `bonus` tool;
 * `--fail` prints MESSAGE on stderr and exits with status 3 before answering anything. It says
 * on stderr that it started, and exits when its stdin ends — unless `--stubborn`: then only a
 * signal stops it.
 */

const { values } = parseArgs({
	options: {
		'pid-file': { type: 'string' },
		bonus: { type: 'boolean', default: false },
		fail: { type: 'string' },
		stubborn: { type: 'boolean', default: false }
	}
});

if (values.fail !== undefined) {
	process.stderr.write(`${values.fail}\n`);
	process.exit(3);
}
if (values['pid-file']) writeFileSync(values['pid-file'], String(process.pid));
const { server } = newMcpServer(values.bonus);
await server.connect(new StdioServerTransport());
if (values.stubborn) setInterval(() => {}, 60_000);
else process.stdin.on('end', () => process.exit(0));
process.stderr.write(`test-mcp (stdio) started, pid ${process.pid}\n`);
