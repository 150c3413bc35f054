// The production server (`npm start`): adapter-node's handler on a Node HTTP server, plus the
// WebSocket chat (`/ws/chat/`, api.md §7) on the same port. Environment variables as adapter-node's
// own `build/index.js` reads them: PORT, HOST, SOCKET_PATH, SHUTDOWN_TIMEOUT, KEEP_ALIVE_TIMEOUT,
// HEADERS_TIMEOUT (with its ENV_PREFIX).
import http from 'node:http';
import process from 'node:process';
import { rmSync, statSync } from 'node:fs';
import { WebSocketServer } from 'ws';

// The app's start-up summary (database, migrations, agents, model) is printed here once the
// server listens, with its address, rather than by the app's `init` hook.
globalThis.__parleyPrintsStartup = true;
// Importing the handler starts the app: its `init` hook runs and registers the chat.
const { handler } = await import('../../build/handler.js');
const { env, timeout_env } = await import('../../build/env.js');

/** The path of the WebSocket chat, with or without its trailing slash. */
const CHAT_PATHS = new Set(['/ws/chat/', '/ws/chat']);

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
let listening = false;

/** A peer going away mid-write: common, and nothing to report. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

let strayLoggedAt = 0;
let straySuppressed = 0;

/**
 * Logs an `'error'` event of something this server owns (a socket, the WebSocket server) and goes
 * on: one client's fault never stops the process. One line at most per second, so that a client
 * sending garbage cannot flood the log.
 */
function logStray(where, error) {
	if (PEER_GONE.has(error?.code)) return;
	const now = Date.now();
	if (now - strayLoggedAt < 1000) {
		straySuppressed++;
		return;
	}
	const more = straySuppressed > 0 ? ` (${straySuppressed} more since the last one)` : '';
	strayLoggedAt = now;
	straySuppressed = 0;
	console.error(`[parley] ${where}: ${error?.code ?? error?.name ?? 'error'} ${error?.message ?? error}${more}`);
}

/** What Node itself answers to a request it cannot parse, by error code. */
function clientErrorStatus(error) {
	if (error.code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
	if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
	return '400 Bad Request';
}

// A request Node cannot parse: answered as Node would, logged, and that connection alone closed.
server.on('clientError', (error, socket) => {
	logStray('bad HTTP request', error);
	socket.on('error', () => {});
	if (socket.writable && socket.bytesWritten === 0 && error.code !== 'ECONNRESET') {
		socket.write(`HTTP/1.1 ${clientErrorStatus(error)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
	}
	socket.destroy();
});

server.on('error', (error) => {
	if (!listening) {
		console.error(`[parley] could not listen: ${error.message}`);
		process.exit(1);
	}
	logStray('HTTP server', error);
});

/**
 * The chat's WebSocket server. A frame over the limit, or text that is not UTF-8, closes that
 * socket alone (1009, 1007; 1002 for any other protocol error): its `'error'` is only logged.
 */
const sockets = new WebSocketServer({ noServer: true, maxPayload: chat.maxFrameBytes });
sockets.on('error', (error) => logStray('WebSocket server', error));

/** The path of a request target; null when it is no URL at all (`//[`). */
function pathnameOf(target) {
	try {
		return new URL(target ?? '/', 'http://localhost').pathname;
	} catch {
		return null;
	}
}

server.on('upgrade', (req, socket, head) => {
	socket.on('error', (error) => logStray('upgrading socket', error));
	if (!CHAT_PATHS.has(pathnameOf(req.url)) || stopping) {
		socket.destroy();
		return;
	}
	try {
		sockets.handleUpgrade(req, socket, head, (ws) => {
			ws.on('error', (error) => logStray('WebSocket', error));
			try {
				chat.handleConnection(ws, req);
			} catch (error) {
				logStray('WebSocket chat', error);
				ws.terminate();
			}
		});
	} catch (error) {
		logStray('WebSocket upgrade', error);
		socket.destroy();
	}
});

if (socketPath) {
	try {
		if (statSync(socketPath).size === 0) rmSync(socketPath);
	} catch {
		// no stale socket file
	}
}
/** A host as it is written in a URL: an IPv6 address in brackets. */
function hostInUrl(address) {
	return address.includes(':') ? `[${address}]` : address;
}

server.listen({ path: socketPath || undefined, host, port }, () => {
	listening = true;
	const address = server.address();
	const where = typeof address === 'string' ? address : `http://${hostInUrl(address?.address ?? host)}:${address?.port ?? port}`;
	if (globalThis.__parleyStartupSummary) globalThis.__parleyStartupSummary(where);
	else console.log(`Listening on ${where}`);
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

/** How long a connection closed before its request body ended keeps reading (and dropping) the rest. */
const LINGER_MS = 2000;

/**
 * A lingering close: when the server answers before a request's body has all arrived (a 413 past
 * the drain bound, say) and then closes the connection, closing the socket outright would make
 * the kernel answer the bytes still coming with a reset, which can reach the client before it has
 * read the answer. Instead the socket sends its end, reads and drops what still comes until the
 * client closes or LINGER_MS pass, and only then goes.
 */
function lingerOnClose(socket) {
	const destroySoon = socket.destroySoon;
	socket.destroySoon = function () {
		const request = socket.parleyRequest;
		if (!request || request.complete || socket.destroyed) return destroySoon.call(socket);
		socket.end();
		const timer = setTimeout(() => socket.destroy(), LINGER_MS);
		timer.unref();
		socket.once('close', () => clearTimeout(timer));
		socket.once('end', () => socket.destroy());
		socket.resume();
	};
}

server.on('connection', lingerOnClose);

server.on('request', (req) => {
	req.socket.parleyRequest = req;
	req.on('close', () => {
		if (stopping) server.closeIdleConnections();
	});
});

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
