/**
 * The bench's baseline: a bare `node:http` server that streams the offline model through the AI
 * SDK with nothing else around it — no routing, auth, persistence or run registry. Every POST is
 * answered with `streamText(...).toUIMessageStreamResponse()` piped to the node response, the
 * same wire format Parley's `POST /api/chat` sends. `GET /health` answers 200.
 *
 * Run by bench/run.mjs as `node --import tsx bench/baseline-server.ts` (one process, so the
 * runner can read its RSS). Environment: PORT, HOST (default 127.0.0.1), MOCK_TOKEN_DELAY_MS.
 * Prints one line `baseline-ready pid=<pid> port=<port>` once listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { convertToModelMessages, streamText, type UIMessage } from 'ai';
import { OfflineModel } from '../src/lib/server/models/offline/offline-model';

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const tokenDelayMs = Number(process.env.MOCK_TOKEN_DELAY_MS ?? 15);
/** The default agent's system prompt in Parley's seed, so both sides send the model the same. */
const SYSTEM = 'You are Parley, a helpful assistant. Answer clearly and concisely.';
const MAX_BODY = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY) throw new Error('body too large');
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

async function pipeWebResponse(webResponse: Response, response: ServerResponse): Promise<void> {
	const headers: Record<string, string> = {};
	webResponse.headers.forEach((value, name) => (headers[name] = value));
	response.writeHead(webResponse.status, headers);
	if (!webResponse.body) return void response.end();
	const reader = webResponse.body.getReader();
	let gone = false;
	response.once('close', () => {
		if (!response.writableFinished) {
			gone = true;
			void reader.cancel().catch(() => {});
		}
	});
	for (;;) {
		const { done, value } = await reader.read();
		if (done || gone) break;
		if (!response.write(value)) await once(response, 'drain');
	}
	response.end();
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
	if (request.method === 'GET' && request.url === '/health') {
		response.writeHead(200, { 'content-type': 'application/json' });
		return void response.end('{"status":"healthy","service":"baseline"}');
	}
	if (request.method !== 'POST') {
		response.writeHead(405);
		return void response.end();
	}
	const body = JSON.parse(await readBody(request)) as { messages: UIMessage[] };
	const messages = await convertToModelMessages(body.messages);
	const result = streamText({
		model: new OfflineModel({ tokenDelayMs }),
		system: SYSTEM,
		messages,
		maxRetries: 1,
		onError: () => {}
	});
	await pipeWebResponse(result.toUIMessageStreamResponse(), response);
}

const server = createServer((request, response) => {
	handle(request, response).catch((error) => {
		if (!response.headersSent) {
			response.writeHead(400, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ error: { message: String(error?.message ?? error) } }));
		} else response.destroy();
	});
});
server.keepAliveTimeout = 60_000;

server.listen(port, host, () => {
	const address = server.address();
	const actual = typeof address === 'object' && address ? address.port : port;
	console.log(`baseline-ready pid=${process.pid} port=${actual}`);
});

function shutdown() {
	server.close(() => process.exit(0));
	server.closeAllConnections();
	setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
