// The client under test of the conformance suite's client scenarios: `npm run cli -- mcp-client`
// with the options given, plus the pre-registered client the suite hands over in
// MCP_CONFORMANCE_CONTEXT (`auth/pre-registration`) as --client-id/--client-secret. The suite
// appends the server's URL, so it arrives last, as the probe's one positional argument.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const context = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
if (typeof context.client_id === 'string') {
	const secret = typeof context.client_secret === 'string' ? ['--client-secret', context.client_secret] : [];
	args.unshift('--client-id', context.client_id, ...secret);
}
const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/lib/server/cli/main.ts'), 'mcp-client', ...args], {
	cwd: root,
	stdio: 'inherit'
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
