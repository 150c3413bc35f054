import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { resolveResponse, type TRPCRequestInfo } from '@trpc/server/http';
import type { RequestHandler } from './$types';
import { getConfig } from '$lib/server/config';
import { parseJsonWithin } from '$lib/server/http/json-depth';
import { readBodyWithin } from '$lib/server/http/read-body';
import { createContext } from '$lib/server/trpc/context';
import { appRouter } from '$lib/server/trpc/routers/_app';
import { toTRPCError } from '$lib/server/trpc/trpc';

const ENDPOINT = '/api/trpc';

/**
 * tRPC mounted directly with its fetch adapter (see README, "Why tRPC is mounted directly").
 * Its input is checked first, as every JSON body is: a body over `JSON_BODY_LIMIT` (counted while
 * reading) is refused with 413, JSON that does not parse or nests deeper than `JSON_DEPTH_LIMIT`
 * with 400, in tRPC's error shape, before any procedure runs.
 */
const handler: RequestHandler = async (event) => {
	const context = ({ info }: { info: TRPCRequestInfo }) => Promise.resolve(createContext(event, info.connectionParams));
	let req: Request;
	try {
		req = await checkedRequest(event.request);
	} catch (thrown) {
		// tRPC writes the error as it would its own, one per call of a batch.
		return resolveResponse({
			router: appRouter,
			req: withoutBody(event.request),
			path: procedurePath(event.url),
			createContext: context,
			error: toTRPCError(thrown)
		});
	}
	return fetchRequestHandler({ endpoint: ENDPOINT, req, router: appRouter, createContext: context });
};

/**
 * The request with its input checked: a GET's `input` parameter, or a POST's body read within
 * the limit (and, when JSON, parsed within the depth limit) and put back for tRPC to read.
 */
async function checkedRequest(request: Request): Promise<Request> {
	if (request.method !== 'POST') {
		const input = new URL(request.url).searchParams.get('input');
		if (input) parseJsonWithin(input, { field: 'input', subject: 'The input' });
		return request;
	}
	const bytes = await readBodyWithin(request, getConfig().JSON_BODY_LIMIT);
	if (/^application\/json\b/i.test(request.headers.get('content-type') ?? '') && bytes.byteLength > 0) {
		parseJsonWithin(new TextDecoder().decode(bytes));
	}
	return new Request(request.url, { method: request.method, headers: request.headers, body: bytes, signal: request.signal });
}

/** A copy of a refused request without its body, as JSON, for tRPC to answer with the error. */
function withoutBody(request: Request): Request {
	const headers = new Headers(request.headers);
	headers.delete('content-length');
	headers.set('content-type', 'application/json');
	return new Request(request.url, { method: request.method, headers, signal: request.signal });
}

/** The procedure path (or comma-separated paths of a batch) after the endpoint, still encoded. */
function procedurePath(url: URL): string {
	return url.pathname.slice(ENDPOINT.length).replace(/^\//, '').replace(/\/$/, '');
}

export const GET = handler;
export const POST = handler;
