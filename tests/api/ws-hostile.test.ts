import { randomBytes } from 'node:crypto';
import { connect as connectTcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents } from '../../src/lib/server/db/schema';
import { startRedis, type TestRedis } from '../support/redis';
import { startServerPair, type ServerPair } from '../support/server-pair';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

let server: TestServer;
let db: Db;
let carol: SessionClient;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '10' }, { entry: 'ws' });
	db = await openDatabase({ url: server.databaseUrl });
	carol = await signUp(server.baseURL, 'carol@example.com');
	// A public agent: callers without any credentials keep their socket open.
	await db.insert(agents).values({ slug: 'open-demo', name: 'Open demo', model: 'mock:offline', visibility: 'public' });
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** A server frame, as far as these tests read it. */
interface Frame {
	type: 'loading' | 'chunk' | 'message' | 'error';
	message: string;
	metadata: { task_id: string | null; code?: string; error: string | null };
}

/** A `ws` client that keeps every frame and tells how it was closed. */
interface Client {
	socket: WebSocket;
	frames: Frame[];
	/** Resolves once a frame matches (or one already has); rejects when the socket closes first. */
	until(predicate: (frame: Frame) => boolean): Promise<Frame>;
	closed: Promise<{ code: number; reason: string }>;
	send(message: string): void;
}

function chat(query: Record<string, string>, headers: Record<string, string> = {}, baseURL = server.baseURL): Promise<Client> {
	const url = new URL('/ws/chat/', baseURL.replace('http:', 'ws:'));
	for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
	const socket = new WebSocket(url, { headers });
	const frames: Frame[] = [];
	const waiters = new Set<() => void>();
	socket.on('message', (data) => {
		frames.push(JSON.parse(data.toString()) as Frame);
		for (const wake of waiters) wake();
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		socket.on('close', (code, reason) => {
			resolve({ code, reason: reason.toString() });
			for (const wake of waiters) wake();
		})
	);
	const client: Client = {
		socket,
		frames,
		closed,
		until(predicate) {
			return new Promise((resolve, reject) => {
				const check = () => {
					const found = frames.find(predicate);
					if (found) resolve(found);
					else if (socket.readyState === WebSocket.CLOSED) reject(new Error(`Closed after ${JSON.stringify(frames)}`));
					else return;
					waiters.delete(check);
				};
				waiters.add(check);
				check();
			});
		},
		send(message) {
			socket.send(JSON.stringify({ type: 'message', role: 'user', message }));
		}
	};
	return new Promise((resolve, reject) => {
		socket.once('open', () => resolve(client));
		socket.once('error', reject);
	});
}

/** A raw TCP connection to the server that collects every byte it receives. */
interface Raw {
	socket: Socket;
	/** Resolves with everything received once `done` holds for it (or the connection ended). */
	read(done: (received: Buffer) => boolean): Promise<Buffer>;
	ended: Promise<void>;
}

async function openRaw(): Promise<Raw> {
	const { port } = new URL(server.baseURL);
	const socket = connectTcp({ host: '127.0.0.1', port: Number(port) });
	await new Promise<void>((resolve, reject) => (socket.once('connect', resolve), socket.once('error', reject)));
	let received = Buffer.alloc(0);
	const waiters = new Set<() => void>();
	socket.on('data', (chunk: Buffer) => {
		received = Buffer.concat([received, chunk]);
		for (const wake of waiters) wake();
	});
	socket.on('error', () => {});
	const ended = new Promise<void>((resolve) =>
		socket.once('close', () => {
			resolve();
			for (const wake of waiters) wake();
		})
	);
	return {
		socket,
		ended,
		read(done) {
			return new Promise((resolve) => {
				const check = () => {
					if (!done(received) && !socket.closed) return;
					waiters.delete(check);
					resolve(received);
				};
				waiters.add(check);
				check();
			});
		}
	};
}

/** Opens the chat by hand: the handshake on a raw socket, answered 101. Returns the socket after it. */
async function rawChat(path = '/ws/chat/?agent=open-demo', headers: Record<string, string> = {}): Promise<Raw> {
	const raw = await openRaw();
	const { host } = new URL(server.baseURL);
	const lines = [
		`GET ${path} HTTP/1.1`,
		`Host: ${host}`,
		'Upgrade: websocket',
		'Connection: Upgrade',
		`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
		'Sec-WebSocket-Version: 13',
		...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
	];
	raw.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
	const response = await raw.read((received) => received.includes('\r\n\r\n'));
	expect(response.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
	return raw;
}

/**
 * A client frame as the protocol writes it: FIN and the opcode, the length (7 bits, 16 or 64),
 * the mask key and the masked payload. `declaredLength` claims another length than the payload's.
 */
function clientFrame(opcode: number, payload: Buffer, options: { declaredLength?: number; masked?: boolean } = {}): Buffer {
	const length = options.declaredLength ?? payload.length;
	const masked = options.masked ?? true;
	const maskBit = masked ? 0x80 : 0;
	let header: Buffer;
	if (length < 126) header = Buffer.from([0x80 | opcode, maskBit | length]);
	else if (length < 65536) {
		header = Buffer.alloc(4);
		header.writeUInt8(0x80 | opcode, 0);
		header.writeUInt8(maskBit | 126, 1);
		header.writeUInt16BE(length, 2);
	} else {
		header = Buffer.alloc(10);
		header.writeUInt8(0x80 | opcode, 0);
		header.writeUInt8(maskBit | 127, 1);
		header.writeBigUInt64BE(BigInt(length), 2);
	}
	if (!masked) return Buffer.concat([header, payload]);
	const mask = randomBytes(4);
	const body = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]));
	return Buffer.concat([header, mask, body]);
}

/** The close code of the server's close frame among the bytes after the handshake. */
function closeCodeIn(received: Buffer): number | null {
	let offset = received.indexOf('\r\n\r\n') + 4;
	while (offset + 2 <= received.length) {
		const opcode = received[offset] & 0x0f;
		let length = received[offset + 1] & 0x7f;
		let start = offset + 2;
		if (length === 126) {
			length = received.readUInt16BE(start);
			start += 2;
		} else if (length === 127) {
			length = Number(received.readBigUInt64BE(start));
			start += 8;
		}
		if (opcode === 0x8) return start + 2 <= received.length ? received.readUInt16BE(start) : null;
		offset = start + length;
	}
	return null;
}

/** Sends a hostile frame on a new raw chat connection; resolves with the code the server closed it with. */
async function closeCodeFor(frame: Buffer): Promise<number | null> {
	const raw = await rawChat();
	raw.socket.write(frame);
	const received = await raw.read((bytes) => closeCodeIn(bytes) !== null);
	raw.socket.destroy();
	return closeCodeIn(received);
}

describe('hostile WebSocket frames', () => {
	it('close only their own socket (1009, 1007, 1002): the server stays up and a parallel answer completes', async () => {
		const parallel = await chat({ agent: 'open-demo' });
		parallel.send('Give me a long answer');
		await parallel.until((frame) => frame.type === 'chunk');

		// A frame that says it is twice the limit (JSON_BODY_LIMIT, 1 MB): refused on its header alone.
		const tooBig = clientFrame(0x1, Buffer.from('{"type":"message","message":"'), { declaredLength: 2 * 1024 * 1024 });
		expect(await closeCodeFor(tooBig)).toBe(1009);
		// A text frame whose bytes are not UTF-8.
		expect(await closeCodeFor(clientFrame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))).toBe(1007);
		// Any other protocol error: an unmasked client frame, a reserved opcode.
		expect(await closeCodeFor(clientFrame(0x1, Buffer.from('{}'), { masked: false }))).toBe(1002);
		expect(await closeCodeFor(clientFrame(0x3, Buffer.from('{}')))).toBe(1002);

		expect((await fetch(`${server.baseURL}/health`)).status).toBe(200);
		const final = await parallel.until((frame) => frame.type === 'message' || frame.type === 'error');
		expect(final.type).toBe('message');
		expect(final.message.split(/\s+/).length).toBeGreaterThanOrEqual(200);
		parallel.socket.close();

		// The server still takes new chats.
		const after = await chat({ agent: 'open-demo' });
		after.send('Hello');
		expect((await after.until((frame) => frame.type === 'message')).message.length).toBeGreaterThan(0);
		after.socket.close();
	});

	it('a frame too big sent before the server has even authenticated the socket closes it alone', async () => {
		// No credentials and the default (users-only) agent; the frame arrives with the handshake.
		const raw = await openRaw();
		const { host } = new URL(server.baseURL);
		const handshake = [
			'GET /ws/chat/ HTTP/1.1',
			`Host: ${host}`,
			'Upgrade: websocket',
			'Connection: Upgrade',
			`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
			'Sec-WebSocket-Version: 13'
		].join('\r\n');
		raw.socket.write(
			Buffer.concat([Buffer.from(`${handshake}\r\n\r\n`), clientFrame(0x1, Buffer.alloc(0), { declaredLength: 5 * 1024 * 1024 })])
		);
		const received = await raw.read((bytes) => closeCodeIn(bytes) !== null);
		raw.socket.destroy();
		// Either the frame or the refusal of the caller closes it; the server lives on either way.
		expect([1009, 1008]).toContain(closeCodeIn(received));
		expect((await fetch(`${server.baseURL}/health`)).status).toBe(200);
	});

	it('a malformed cookie counts as no cookie: the socket opens, and a good cookie beside it still signs in', async () => {
		const anonymous = await chat({ agent: 'open-demo' }, { cookie: 'parley_session=%E0%A4%A; junk=%', origin: server.baseURL });
		anonymous.send('Hello');
		const answer = await anonymous.until((frame) => frame.type === 'message' || frame.type === 'error');
		expect(answer.type).toBe('message');
		anonymous.socket.close();

		const signedIn = await chat({}, { cookie: `junk=%zz; ${carol.cookie}`, origin: server.baseURL });
		signedIn.send('Hello');
		expect((await signedIn.until((frame) => frame.type === 'message' || frame.type === 'error')).type).toBe('message');
		signedIn.socket.close();
	});

	it('answers a request Node cannot parse with 400 and goes on', async () => {
		const raw = await openRaw();
		raw.socket.write('NOT HTTP AT ALL\r\n\r\n');
		const received = await raw.read((bytes) => bytes.includes('\r\n\r\n'));
		expect(received.toString('latin1')).toMatch(/^HTTP\/1\.1 400 /);
		await raw.ended;
		expect((await fetch(`${server.baseURL}/health`)).status).toBe(200);
	});
});

describe('hostile upgrades', () => {
	it('an upgrade whose target is no URL at all (//[) is dropped, and the server goes on', async () => {
		const raw = await openRaw();
		const handshake = [
			'GET //[ HTTP/1.1',
			'Host: x',
			'Upgrade: websocket',
			'Connection: Upgrade',
			`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
			'Sec-WebSocket-Version: 13'
		].join('\r\n');
		raw.socket.write(`${handshake}\r\n\r\n`);
		await raw.ended;
		expect((await fetch(`${server.baseURL}/health`)).status).toBe(200);
	});
});

describe('a chat socket bound to a task', () => {
	/** Deletes a task as Carol, through tRPC. */
	async function deleteAsCarol(id: string): Promise<void> {
		const response = await carol.fetch('/api/trpc/tasks.delete', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id })
		});
		expect(response.status).toBe(200);
	}

	it('is closed with 4404 after a not_found error frame when the task is deleted', async () => {
		const client = await chat({}, { cookie: carol.cookie, origin: server.baseURL });
		client.send('Hello');
		const taskId = (await client.until((frame) => frame.type === 'message')).metadata.task_id!;

		// A second socket opened on the task by name.
		const named = await chat({ task: taskId }, { cookie: carol.cookie, origin: server.baseURL });
		await deleteAsCarol(taskId);
		for (const socket of [client, named]) {
			const refusal = await socket.until((frame) => frame.metadata.code === 'not_found');
			expect(refusal).toMatchObject({ type: 'error', metadata: { task_id: taskId, error: 'system_error' } });
			expect(await socket.closed).toStrictEqual({ code: 4404, reason: 'Task deleted' });
		}

		// The deleted task cannot be opened again.
		const again = await chat({ task: taskId }, { cookie: carol.cookie, origin: server.baseURL });
		expect((await again.until((frame) => frame.type === 'error')).metadata.code).toBe('not_found');
		expect((await again.closed).code).toBe(1008);
	});

	it('ends the answer streaming on it as cancelled, then closes with 4404', async () => {
		const client = await chat({}, { cookie: carol.cookie, origin: server.baseURL });
		client.send('Give me a long answer');
		const taskId = (await client.until((frame) => frame.type === 'chunk')).metadata.task_id!;
		await deleteAsCarol(taskId);
		const end = await client.until((frame) => frame.type === 'error');
		expect(end.metadata.error).toBe('cancelled');
		await client.until((frame) => frame.metadata.code === 'not_found');
		expect((await client.closed).code).toBe(4404);
	});
});

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the two-process WebSocket test: ${redis.reason}.`);

describe.skipIf(!redis.url)('a chat socket across two server processes sharing Redis', () => {
	let pair: ServerPair;

	beforeAll(async () => {
		pair = await startServerPair(redis.url ?? '', {}, { entry: 'ws' });
	});

	afterAll(async () => {
		await pair?.stop();
		if ('stop' in redis) await redis.stop();
	});

	it('is closed with 4404 when its task is deleted on the other process', async () => {
		const { first, alice } = pair;
		const client = await chat({}, { cookie: alice.cookie, origin: first.baseURL }, first.baseURL);
		client.send('Hello');
		const taskId = (await client.until((frame) => frame.type === 'message')).metadata.task_id!;
		const response = await pair.onSecond('/api/trpc/tasks.delete', { method: 'POST', body: JSON.stringify({ id: taskId }) });
		expect(response.status).toBe(200);
		expect((await client.until((frame) => frame.metadata.code === 'not_found')).metadata.task_id).toBe(taskId);
		expect((await client.closed).code).toBe(4404);
	});
});
