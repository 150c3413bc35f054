import { viewerOf } from '$lib/server/http/viewer';
import { AppError } from '$lib/server/errors';
import { responsesErrorResponse } from '$lib/server/protocols/openai-responses/errors';
import { OpenResponsesBuilder, type OpenResponsesResponse } from '$lib/server/protocols/openai-responses/response-object';
import { endedResponseStream, openResponsesStreamResponse } from '$lib/server/protocols/openai-responses/to-openai-responses-chunk';
import { deleteResponse, getOwnResponse, liveResponse } from '$lib/server/services/stored-responses';
import type { RequestHandler } from './$types';

/** `starting_after`: a sequence number, or none. */
function startingAfterOf(url: URL): number | undefined {
	const value = url.searchParams.get('starting_after');
	if (value === null) return undefined;
	if (!/^\d{1,9}$/.test(value))
		throw new AppError('invalid_input', 'starting_after is a sequence number (0 or more).', { field: 'starting_after' });
	return Number(value);
}

/**
 * A response of the caller's (`GET /v1/responses/{id}`): as it stands, or with `?stream=true`
 * its events (from `starting_after`), live while its run goes on. Someone else's is 404.
 */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const row = await getOwnResponse(event.locals.db, viewer, event.params.id);
		const stream = event.url.searchParams.get('stream') === 'true';
		const startingAfter = startingAfterOf(event.url);
		const running = liveResponse(row.id);
		if (running) {
			if (stream) return openResponsesStreamResponse(running.run.subscribe(), running.context(), undefined, startingAfter);
			const builder = new OpenResponsesBuilder(running.context());
			for (const runEvent of [...running.run.events]) builder.push(runEvent);
			const now = builder.response();
			if (now) return Response.json(now);
		}
		const body = row.body as unknown as OpenResponsesResponse;
		if (stream) return endedResponseStream(body, undefined, startingAfter);
		return Response.json(body);
	} catch (error) {
		return responsesErrorResponse(error);
	}
};

/** Deletes a response of the caller's (stopping it); its task goes with its last response. */
export const DELETE: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		await deleteResponse(event.locals.db, viewer, event.params.id);
		return Response.json({ id: event.params.id, object: 'response.deleted', deleted: true });
	} catch (error) {
		return responsesErrorResponse(error);
	}
};
