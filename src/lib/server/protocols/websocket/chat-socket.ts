import type { Cookies } from '@sveltejs/kit';
import { getConfig } from '../../config';
import { authenticate, bearerToken } from '../../auth/authenticate';
import { isSameOrigin } from '../../auth/origin-check';
import { AppError, toAppError } from '../../errors';
import { clientAddressOfUpgrade } from '../../http/client-address';
import { limitStreamingRequest } from '../../http/rate-limit';
import { viewerOf } from '../../http/viewer';
import { watchTaskDeletion } from '../../live/live-tasks';
import type { ActiveRun } from '../../runtime/run-registry';
import { getDefaultAgent, getUsableAgent, type AgentWithTools } from '../../services/agents';
import { findTask, getOwnTask, type Task } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import { turnDeps, type TurnDeps } from '../../turns/deps';
import { runOf, startCallerTurn } from '../../turns/start-caller-turn';
import { AnswerFrames, errorFrame, parseClientFrame, type FrameMetadata, type ServerFrame } from './frames';

/** The parts of a `ws` WebSocket the chat uses. */
export interface ChatSocket {
	readonly readyState: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	on(event: 'message', listener: (data: { toString(): string }, isBinary: boolean) => void): unknown;
	on(event: 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The parts of the upgrade request the chat reads. */
export interface UpgradeRequest {
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	socket?: { remoteAddress?: string };
}

/** What the Node entry calls for each accepted connection on `/ws/chat/`. */
export interface WebSocketChatHook {
	/** The largest client frame accepted, in bytes (`JSON_BODY_LIMIT`); a larger one closes its socket with 1009. */
	maxFrameBytes: number;
	handleConnection(socket: ChatSocket, request: UpgradeRequest): void;
	/** Stops the answers in progress, waits until they are stored and told, and closes every socket (1001). */
	closeAll(): Promise<void>;
}

declare global {
	var __parleyWebSocket: WebSocketChatHook | undefined;
}

/**
 * Close codes the chat uses. Protocol errors are closed by the `ws` library itself, each socket on
 * its own: 1002 (a malformed frame), 1007 (text that is not UTF-8), 1009 (a frame over
 * `maxFrameBytes`).
 */
export const CLOSE_CODES = {
	goingAway: 1001,
	unsupportedData: 1003,
	policyViolation: 1008,
	internalError: 1011,
	/** The socket's task was deleted (after an error frame with code `not_found`). */
	taskDeleted: 4404
} as const;

const OPEN = 1;

/** Lets the Node entry (`src/node/serve.mjs`) reach the chat from outside the server bundle. */
export function registerWebSocketChat(): void {
	globalThis.__parleyWebSocket = {
		maxFrameBytes: getConfig().JSON_BODY_LIMIT,
		handleConnection: handleChatConnection,
		closeAll: closeAllChats
	};
}

/** The open connections of this process. */
const connections = new Set<ChatConnection>();

/** Stops every answer streaming on a chat socket and closes the sockets as "going away". */
export async function closeAllChats(): Promise<void> {
	await Promise.all([...connections].map((connection) => connection.shutdown()));
}

function header(request: UpgradeRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * The cookies of a request, read-only: a session refreshed over a socket keeps its old cookie. A
 * cookie whose value cannot be decoded (a stray `%`) counts as not sent.
 */
export function cookieJar(cookieHeader: string | undefined): Cookies {
	const values = new Map<string, string>();
	for (const pair of (cookieHeader ?? '').split(';')) {
		const index = pair.indexOf('=');
		if (index <= 0) continue;
		try {
			values.set(pair.slice(0, index).trim(), decodeURIComponent(pair.slice(index + 1).trim()));
		} catch {
			// Malformed: as if absent.
		}
	}
	const jar: Pick<Cookies, 'get' | 'set'> = { get: (name) => values.get(name), set: () => {} };
	return jar as Cookies;
}

/**
 * Whether a socket opened with a session cookie comes from this site: its `Origin` is exactly
 * `ORIGIN`, or without it the origin the socket was opened on (the Node server speaks plain HTTP;
 * behind a TLS proxy, `ORIGIN` names the public origin). Browsers always send `Origin` on a
 * WebSocket handshake.
 */
export function isSameOriginSocket(origin: string | undefined, host: string | undefined, trustedOrigin?: string): boolean {
	return isSameOrigin(origin, trustedOrigin ?? (host ? `http://${host}` : ''));
}

/** The locals a request of this caller would have: who it is and how it was authenticated. */
async function authenticateSocket({ db, config }: TurnDeps, request: UpgradeRequest, url: URL): Promise<App.Locals> {
	const authentication = await authenticate(db, {
		apiKey: url.searchParams.get('key') ?? bearerToken(header(request, 'authorization')),
		cookies: cookieJar(header(request, 'cookie')),
		crossSite: () =>
			isSameOriginSocket(header(request, 'origin'), header(request, 'host'), config.ORIGIN)
				? null
				: new AppError('forbidden', 'Cross-site connection refused: the Origin header does not match this site.'),
		// Read-only: a session refreshed over a socket keeps its old cookie.
		cookiePolicy: { secure: false }
	});
	return { db, ...authentication };
}

/** The agent and task a connection talks to, as its query names them. */
async function agentAndTask({ db, config }: TurnDeps, viewer: Viewer, url: URL): Promise<{ agent: AgentWithTools; task: Task | null }> {
	const agentParam = url.searchParams.get('agent');
	const taskParam = url.searchParams.get('task');
	const task = taskParam ? await getOwnTask(db, viewer, taskParam, { field: 'task' }) : null;
	const agent = agentParam
		? await getUsableAgent(db, viewer, agentParam, 'agent')
		: task
			? await getUsableAgent(db, viewer, task.agentId, 'agent')
			: await getDefaultAgent(db, viewer, config.DEFAULT_AGENT);
	if (task && task.agentId !== agent.id) {
		throw new AppError('conflict', `The task "${task.id}" belongs to another agent.`, { field: 'task' });
	}
	return { agent, task };
}

/** One open chat socket: its caller, agent and task, and the answer streaming on it. */
class ChatConnection {
	private busy = false;
	private run: ActiveRun | null = null;
	private answering: Promise<void> | null = null;
	private closed = false;
	/** Stops following the deletion of the task. */
	private unwatch: (() => void) | null = null;

	constructor(
		private readonly socket: ChatSocket,
		private readonly deps: TurnDeps,
		private readonly locals: App.Locals,
		private readonly viewer: Viewer,
		private readonly agent: AgentWithTools,
		private task: Task | null
	) {}

	/** The caller went away: an answer in progress stops and is stored as interrupted. */
	onClose(): void {
		this.closed = true;
		this.run?.stop('caller-gone');
		this.unwatch?.();
	}

	/**
	 * Follows the deletion of the connection's task (in any process): the socket is then closed
	 * with 4404. Checked again once following, so that a deletion just before is not missed.
	 */
	async watch(task: Task): Promise<void> {
		if (this.unwatch || this.closed) return;
		const unwatch = await watchTaskDeletion(task.id, () => void this.taskDeleted(task.id));
		if (this.closed) return unwatch();
		this.unwatch = unwatch;
		const found = await findTask(this.deps.db, task.id);
		if (!found || found.userId !== task.userId || found.anonymousId !== task.anonymousId) await this.taskDeleted(task.id);
	}

	/** The task is gone: the answer in progress is told to end, then the socket closes with 4404. */
	private async taskDeleted(taskId: string): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.unwatch?.();
		this.run?.stop('stopped');
		await this.answering?.catch(() => {});
		this.send(errorFrame(new AppError('not_found', `The task "${taskId}" was deleted.`), this.base()));
		this.socket.close(CLOSE_CODES.taskDeleted, 'Task deleted');
	}

	/** Stops the answer in progress, waits until it is told, and closes the socket as "going away". */
	async shutdown(): Promise<void> {
		this.run?.stop('shutdown');
		await this.answering?.catch(() => {});
		this.socket.close(CLOSE_CODES.goingAway, 'Server shutting down');
	}

	/** Handles one client frame; a frame sent while an answer streams is refused with an error frame. */
	async receive(raw: string): Promise<void> {
		let message: string;
		try {
			message = parseClientFrame(raw).message;
		} catch (error) {
			this.send(errorFrame(error, this.base()));
			if (error instanceof AppError && error.code === 'unsupported_media_type') {
				this.socket.close(CLOSE_CODES.unsupportedData, 'Frames must be JSON');
			}
			return;
		}
		if (this.closed) return;
		if (this.busy) {
			const error = new AppError('conflict', 'An answer is still streaming: wait for its final frame before sending the next message.');
			this.send(errorFrame(error, this.base()));
			return;
		}
		this.busy = true;
		this.answering = this.answer(message);
		try {
			await this.answering;
		} catch (error) {
			const appError = toAppError(error);
			if (appError.code === 'internal') console.error('[parley] WebSocket chat failed', error);
			this.send(errorFrame(appError, this.base()));
		} finally {
			this.busy = false;
			this.run = null;
			this.answering = null;
		}
	}

	private async answer(text: string): Promise<void> {
		await limitStreamingRequest(this.locals, this.viewer);
		const existing = this.task;
		const turn = await startCallerTurn(this.deps, {
			viewer: this.viewer,
			agent: { kind: 'resolved', agent: this.agent },
			task: { kind: 'resolved', task: existing, create: { context: null } },
			ask: { type: 'message', parts: [{ type: 'text', text }] }
		});
		const { task } = turn;
		const run = runOf(turn);
		this.task = task;
		this.run = run;
		if (this.closed) run.stop('caller-gone');
		else if (!existing) void this.watch(task).catch((error) => console.error('[parley] could not follow a chat task', error));
		const frames = new AnswerFrames(this.base());
		this.send(frames.loading());
		const interruptedBy = (): 'timeout' | 'cancelled' => (run.abortController.signal.reason === 'timeout' ? 'timeout' : 'cancelled');
		for await (const event of run.subscribe()) {
			for (const frame of frames.next(event, interruptedBy)) this.send(frame);
		}
	}

	private base(): Partial<FrameMetadata> {
		return {
			task_id: this.task?.id ?? null,
			...(this.viewer.kind === 'anonymous' ? { anonymous_id: this.viewer.anonymousId } : {})
		};
	}

	private send(frame: ServerFrame): void {
		if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify(frame));
	}
}

/** Authenticates a new socket and settles its agent and task; refusals close it with 1008. */
async function openConnection(socket: ChatSocket, request: UpgradeRequest): Promise<ChatConnection | null> {
	try {
		const url = new URL(request.url ?? '/', 'http://localhost');
		const deps = await turnDeps();
		const locals = await authenticateSocket(deps, request, url);
		// The client address is settled here (socket, or X-Forwarded-For by TRUSTED_PROXY).
		const getClientAddress = () => clientAddressOfUpgrade(request);
		const { viewer } = viewerOf({ locals, request: new Request(url), getClientAddress }, url.searchParams.get('anonymous_id') ?? undefined);
		const { agent, task } = await agentAndTask(deps, viewer, url);
		const connection = new ChatConnection(socket, deps, locals, viewer, agent, task);
		// Without the feed the socket still works; tombstoned ids keep it from ever reaching another task.
		if (task) await connection.watch(task).catch((error) => console.error('[parley] could not follow a chat task', error));
		return connection;
	} catch (error) {
		const appError = toAppError(error);
		if (appError.code === 'internal') console.error('[parley] WebSocket chat failed to open', error);
		if (socket.readyState === OPEN) {
			socket.send(JSON.stringify(errorFrame(appError)));
			socket.close(appError.code === 'internal' ? CLOSE_CODES.internalError : CLOSE_CODES.policyViolation, appError.code);
		}
		return null;
	}
}

/**
 * Serves one WebSocket chat connection (`api.md` §7): one task per connection, `message` frames
 * in, `loading`, `chunk`, `message` or `error` frames out. Frames that arrive while the
 * connection is being authenticated wait for it.
 */
export function handleChatConnection(socket: ChatSocket, request: UpgradeRequest): void {
	// A protocol error (a frame too big, text that is not UTF-8) closes this socket alone, with its code.
	socket.on('error', () => {});
	const opened = openConnection(socket, request);
	void opened.then((connection) => connection && connections.add(connection));
	// Frames are handled in the order they came; an answer in progress does not hold up the next frame's refusal.
	socket.on('message', (data) => {
		const raw = data.toString();
		void opened.then((connection) => connection?.receive(raw));
	});
	socket.on(
		'close',
		() =>
			void opened.then((connection) => {
				if (!connection) return;
				connections.delete(connection);
				connection.onClose();
			})
	);
}
