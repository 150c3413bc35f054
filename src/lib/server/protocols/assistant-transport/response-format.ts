import { AppError } from '../../errors';
import type { AssistantQuery } from './request';

/** The two wire formats of assistant-stream: `data-stream` (the client's default) and SSE. */
export type ResponseFormat = NonNullable<AssistantQuery['protocol']>;

/** Media types that accept the data stream (`text/plain`). */
const dataStreamTypes = new Set(['text/plain', 'text/*', '*/*']);

/**
 * The format a request asks for: `?protocol=` when given, else SSE when `Accept` names
 * `text/event-stream`, else the data stream. An `Accept` that allows neither is `not_acceptable`.
 */
export function responseFormatOf(protocol: AssistantQuery['protocol'], accept: string | null): ResponseFormat {
	if (protocol) return protocol;
	if (!accept?.trim()) return 'data-stream';
	const types = accept.split(',').map((entry) => entry.split(';')[0].trim().toLowerCase());
	if (types.includes('text/event-stream')) return 'assistant-transport';
	if (types.some((type) => dataStreamTypes.has(type))) return 'data-stream';
	throw new AppError(
		'not_acceptable',
		'This endpoint answers text/plain (the data stream) or text/event-stream (?protocol=assistant-transport).'
	);
}
