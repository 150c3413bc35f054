import { openApiDocument } from '$lib/server/openapi/document';
import type { RequestHandler } from './$types';

/** The OpenAPI 3.1 document of every public endpoint. */
export const GET: RequestHandler = () => Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
