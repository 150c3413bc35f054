import { AppError } from '$lib/server/errors';
import { openAIErrorResponse } from '$lib/server/protocols/openai/errors';
import type { RequestHandler } from './$types';

/** Any other path under `/v1` answers in OpenAI's error shape, as OpenAI clients expect. */
const notFound: RequestHandler = ({ request, url }) =>
	openAIErrorResponse(new AppError('not_found', `${request.method} ${url.pathname} is not an endpoint of this server.`));

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
