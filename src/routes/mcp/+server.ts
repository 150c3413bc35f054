import { asc } from 'drizzle-orm';
import { getConfig } from '$lib/server/config';
import { agents } from '$lib/server/db/schema';
import { AppError, errorResponse } from '$lib/server/errors';
import { JsonInputError, parseJsonWithin } from '$lib/server/http/json-depth';
import { readBodyWithin } from '$lib/server/http/read-body';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { viewerOf } from '$lib/server/http/viewer';
import { lazyModule } from '$lib/server/modules/lazy-module';
import { readAnswer } from '$lib/server/protocols/mcp/answer';
import {
	callsTool,
	JSON_RPC_INVALID_REQUEST,
	JSON_RPC_PARSE_ERROR,
	JSON_RPC_SERVER_ERROR,
	jsonRpcErrorResponse,
	toToolResult
} from '$lib/server/protocols/mcp/response';
import { toCallerTurn } from '$lib/server/protocols/mcp/to-caller-turn';
import type { AgentTool } from '$lib/server/protocols/mcp/tools';
import { onCallerGone } from '$lib/server/protocols/openai/caller-gone';
import { canUseAgent } from '$lib/server/services/agents';
import type { Viewer } from '$lib/server/services/viewer';
import { runOf, startCallerTurn } from '$lib/server/turns/start-caller-turn';
import type { RequestEvent, RequestHandler } from './$types';

/** The MCP SDK, loaded on the first `/mcp` request rather than at start-up. */
const loadMcpServer = lazyModule('The MCP server', () => import('$lib/server/protocols/mcp/server'));

/**
 * Parley as an MCP server (`api.md`): JSON-RPC over Streamable HTTP, stateless. Every agent the
 * caller may use (an API key's user; anonymous callers: public agents) is a tool `ask_<slug>`
 * whose calls run through the same front door as every other face, so their tasks are the
 * caller's like any other. A request from a foreign `Origin` was refused already (CORS).
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	let body: unknown;
	try {
		body = parseJsonWithin(new TextDecoder().decode(await readBodyWithin(event.request, getConfig().JSON_BODY_LIMIT)));
	} catch (error) {
		if (error instanceof JsonInputError) {
			const code = error.reason === 'syntax' ? JSON_RPC_PARSE_ERROR : JSON_RPC_INVALID_REQUEST;
			return jsonRpcErrorResponse(400, code, `${error.reason === 'syntax' ? 'Parse error' : 'Invalid Request'}: ${error.message}`);
		}
		if (error instanceof AppError) return jsonRpcErrorResponse(error.status, JSON_RPC_SERVER_ERROR, error.message);
		throw error;
	}
	try {
		// Only tool calls count against the caller's limits: listing and pings are free.
		const viewer = callsTool(body) ? await streamingCaller(event, headers) : viewerOf(event).viewer;
		const { handleMcpRequest } = await loadMcpServer();
		const response = await handleMcpRequest(event.request, body, {
			agents: await usableAgents(event, viewer),
			ask: async (agent, args, { signal, onText }) => {
				const turn = await startCallerTurn({ db: event.locals.db, config: getConfig() }, toCallerTurn(args, viewer, agent.slug));
				const run = runOf(turn);
				const stop = () => run.stop('caller-gone');
				const stopListening = onCallerGone(event, stop);
				signal.addEventListener('abort', stop, { once: true });
				try {
					return toToolResult(turn.task.id, await readAnswer(run.subscribe({ onCancel: stop }), onText));
				} finally {
					stopListening();
					signal.removeEventListener('abort', stop);
				}
			}
		});
		for (const [name, value] of headers) response.headers.set(name, value);
		return response;
	} catch (error) {
		return errorResponse(error, headers);
	}
};

/** A stateless server offers no stream of its own (GET) and no session to end (DELETE). */
const notAllowed: RequestHandler = () =>
	jsonRpcErrorResponse(405, JSON_RPC_SERVER_ERROR, 'Method not allowed: this stateless MCP server takes POST only.', { allow: 'POST' });

export const GET = notAllowed;
export const DELETE = notAllowed;

/** The agents a viewer may use, each with what its tool is made from. */
async function usableAgents(event: Pick<RequestEvent, 'locals'>, viewer: Viewer): Promise<AgentTool[]> {
	const rows = await event.locals.db.select().from(agents).orderBy(asc(agents.slug));
	return rows
		.filter((agent) => canUseAgent(viewer, agent.visibility))
		.map(({ slug, name, description, contextSchema }) => ({ slug, name, description, contextSchema: contextSchema ?? null }));
}
