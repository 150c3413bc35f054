import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';

/** A JSON-RPC id as the request gave it (null when it gave none or could not be read). */
export type RpcId = string | number | null;

/** JSON-RPC 2.0 error codes of the transport (A2A's own, -32001…, come from the SDK's handlers). */
export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
export const RPC_METHOD_NOT_FOUND = -32601;

/** A JSON-RPC error response (HTTP 200: the transport worked; the error is in the body). */
export function rpcErrorResponse(id: RpcId, code: number, message: string, headers?: HeadersInit): Response {
	return Response.json({ jsonrpc: '2.0', id, error: { code, message } }, { headers });
}

/** A JSON-RPC response. */
export function rpcResponse(body: unknown, headers?: HeadersInit): Response {
	return Response.json(body, { headers });
}

/**
 * JSON-RPC responses as an SSE stream, one `data:` event each (A2A's streaming methods). The
 * first is read already (so that an error before anything streamed answers as plain JSON); an
 * error while streaming becomes a last JSON-RPC error event.
 */
export function rpcStreamResponse(
	first: unknown,
	rest: AsyncIterator<unknown>,
	onError: (error: unknown) => unknown,
	headers?: HeadersInit
): Response {
	const events = new ReadableStream<SseEvent>({
		start(controller) {
			controller.enqueue({ data: first });
		},
		async pull(controller) {
			try {
				const next = await rest.next();
				if (next.done) controller.close();
				else controller.enqueue({ data: next.value });
			} catch (error) {
				controller.enqueue({ data: onError(error) });
				controller.close();
			}
		},
		async cancel() {
			await rest.return?.(undefined);
		}
	});
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(SSE_HEADERS)) responseHeaders.set(name, value);
	return new Response(events.pipeThrough(sseStream()), { headers: responseHeaders });
}
