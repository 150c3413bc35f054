// The production server (`npm start`): adapter-node's handler on a Node HTTP server, plus the
// WebSocket chat (`/ws/chat/`, api.md §7) on the same port. Environment variables as adapter-node's
// own `build/index.js` reads them: PORT, HOST, SOCKET_PATH, SHUTDOWN_TIMEOUT, KEEP_ALIVE_TIMEOUT,
// HEADERS_TIMEOUT (with its ENV_PREFIX).
import http from 'node:http';
import process from 'node:process';
import { rmSync, statSync } from 'node:fs';
import { WebSocketServer } from 'ws';
// Importing the handler starts the app: its `init` hook runs and registers the chat.
import { handler } from '../../build/handler.js';
import { env, timeout_env } from '../../build/env.js';

/** The path of the WebSocket chat, with or without its trailing slash. */
const CHAT_PATHS = new Set(['/ws/chat/', '/ws/chat']);

/** The largest client frame accepted, in bytes (the JSON body limit). */
const MAX_FRAME_BYTES = 1024 * 1024;

const socketPath = env('SOCKET_PATH', false);
const host = env('HOST', '0.0.0.0');
const port = env('PORT', !socketPath && '3000');
const shutdownTimeout = parseInt(env('SHUTDOWN_TIMEOUT', '30'));

const chat = globalThis.__parleyWebSocket;
if (!chat) {
	console.error('[parley] The app did not register its WebSocket chat; run `npm run build` again.');
	process.exit(1);
}

/** `widget.js` keeps one URL across releases: caches keep it for minutes, not for heuristic hours. */
const WIDGET_PATH = /^\/widget\.js(\?|$)/;

/**
 * What other sites need to load `widget.js` (a static file, which the app's security-headers
 * handle never sees): any site may fetch it (a `crossorigin` script tag, a module import), it may
 * be embedded by pages that require `Cross-Origin-Resource-Policy`, and it is never sniffed.
 */
const WIDGET_HEADERS = {
	'cache-control': 'public, max-age=300',
	'access-control-allow-origin': '*',
	'cross-origin-resource-policy': 'cross-origin',
	'x-content-type-options': 'nosniff'
};

const server = http.createServer((req, res) => {
	if (WIDGET_PATH.test(req.url ?? '')) {
		for (const [name, value] of Object.entries(WIDGET_HEADERS)) res.setHeader(name, value);
	}
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});
const keepAliveTimeout = timeout_env('KEEP_ALIVE_TIMEOUT');
if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout * 1000;
const headersTimeout = timeout_env('HEADERS_TIMEOUT');
if (headersTimeout !== undefined) server.headersTimeout = headersTimeout * 1000;

let stopping = false;

const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

server.on('upgrade', (req, socket, head) => {
	const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
	if (!CHAT_PATHS.has(pathname) || stopping) {
		socket.destroy();
		return;
	}
	sockets.handleUpgrade(req, socket, head, (ws) => chat.handleConnection(ws, req));
});

if (socketPath) {
	try {
		if (statSync(socketPath).size === 0) rmSync(socketPath);
	} catch {
		// no stale socket file
	}
}
server.listen({ path: socketPath || undefined, host, port }, () => {
	const address = server.address();
	const where =
		typeof address === 'string' ? address : `http://${address?.address ?? host}:${address?.port ?? port}`;
	console.log(`Listening on ${where}`);
});

/**
 * Stops like adapter-node's server: no new connections, idle ones closed, then
 * `sveltekit:shutdown` once the last request is done (or after SHUTDOWN_TIMEOUT seconds).
 * Chat answers in progress stop (stored as interrupted, their sockets told so) and every chat
 * socket is closed as "going away".
 */
function shutdown(reason) {
	if (stopping) return;
	stopping = true;
	server.closeIdleConnections();
	server.close((error) => {
		if (error) return;
		clearTimeout(forced);
		process.emit('sveltekit:shutdown', reason);
	});
	void chat.closeAll().catch((error) => console.error('[parley] closing chat sockets failed', error));
	const forced = setTimeout(() => {
		for (const client of sockets.clients) client.terminate();
		server.closeAllConnections();
	}, shutdownTimeout * 1000);
	forced.unref();
}

server.on('request', (req) => {
	req.on('close', () => {
		if (stopping) server.closeIdleConnections();
	});
});

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
