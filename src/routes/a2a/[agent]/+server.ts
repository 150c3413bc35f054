import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { JsonInputError, parseJsonWithin } from '$lib/server/http/json-depth';
import { readBodyWithin } from '$lib/server/http/read-body';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { lazyModule } from '$lib/server/modules/lazy-module';
import { agentCardOf } from '$lib/server/protocols/a2a/card';
import { checkEnvelope } from '$lib/server/protocols/a2a/request';
import {
	RPC_INVALID_REQUEST,
	RPC_METHOD_NOT_FOUND,
	RPC_PARSE_ERROR,
	rpcErrorResponse,
	rpcResponse,
	rpcStreamResponse
} from '$lib/server/protocols/a2a/response';
import { ParleyA2AHandler } from '$lib/server/services/a2a';
import { getUsableAgent } from '$lib/server/services/agents';
import { version } from '$lib/version';
import type { RequestHandler } from './$types';

/** The SDK's JSON-RPC handlers (A2A 1.0 and 0.3), loaded on the first A2A request. */
const loadHandlers = lazyModule('A2A', async () => {
	const [server, legacy, compat] = await Promise.all([
		import('@a2a-js/sdk/server'),
		import('@a2a-js/sdk/compat/v0_3/server'),
		import('@a2a-js/sdk/compat/v0_3')
	]);
	return { server, legacy, compat };
});

/**
 * A2A: `POST /a2a/{agent}` answers JSON-RPC 2.0 in A2A 1.0 (`SendMessage`, `SendStreamingMessage`,
 * `GetTask`, `CancelTask`, `SubscribeToTask`) and in A2A 0.3's names (`message/send`,
 * `message/stream`, `tasks/get`, `tasks/cancel`, `tasks/resubscribe`). The transport decides
 * 401 (a bad key), 404 (an agent the caller may not use), 413 (the body) and 429 (rate limits);
 * everything else is a JSON-RPC error with A2A's codes.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const { db } = event.locals;
		const bytes = await readBodyWithin(event.request, config.JSON_BODY_LIMIT);
		const viewer = await streamingCaller(event, headers);
		const agent = await getUsableAgent(db, viewer, event.params.agent, 'agent');
		let body: unknown;
		try {
			body = parseJsonWithin(new TextDecoder().decode(bytes), { depth: config.JSON_DEPTH_LIMIT });
		} catch (error) {
			if (error instanceof JsonInputError && error.reason === 'depth')
				return rpcErrorResponse(null, RPC_INVALID_REQUEST, error.message, headers);
			return rpcErrorResponse(null, RPC_PARSE_ERROR, 'Parse error: the body is not valid JSON.', headers);
		}
		const checked = checkEnvelope(body);
		if (!checked.ok) return rpcErrorResponse(checked.id, RPC_INVALID_REQUEST, checked.message, headers);
		const { envelope } = checked;
		const id = envelope.id ?? null;
		const { server, legacy, compat } = await loadHandlers();
		const isLegacy = compat.isLegacyJsonRpcMethod(envelope.method);
		if (!isLegacy && !compat.isV1JsonRpcMethod(envelope.method)) {
			return rpcErrorResponse(id, RPC_METHOD_NOT_FOUND, `Method not found: "${envelope.method}".`, headers);
		}
		const card = agentCardOf(agent, event.url.origin, version, agent.visibility === 'public');
		const handler = new ParleyA2AHandler({ db, config, viewer, agent, card });
		const context = new server.ServerCallContext();
		const toError = (error: unknown) =>
			isLegacy
				? legacy.LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError(error)
				: server.JsonRpcTransportHandler.mapToJSONRPCError(error);
		const transport = isLegacy ? new legacy.LegacyJsonRpcTransportHandler(handler) : new server.JsonRpcTransportHandler(handler);
		const result = await transport.handle(envelope as Record<string, unknown>, context);
		if (!(Symbol.asyncIterator in result)) return rpcResponse(result, headers);
		const stream = result as AsyncGenerator<unknown>;
		let first: IteratorResult<unknown>;
		try {
			first = await stream.next();
		} catch (error) {
			return rpcErrorResponse(id, toError(error).code, toError(error).message, headers);
		}
		if (first.done) return rpcErrorResponse(id, RPC_INVALID_REQUEST, 'The stream ended before it began.', headers);
		return rpcStreamResponse(first.value, stream, (error) => ({ jsonrpc: '2.0', id, error: toError(error) }), headers);
	} catch (error) {
		return errorResponse(error, headers);
	}
};
