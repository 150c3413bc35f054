import { SseParser, type SseMessage } from '$lib/sse';
import { tryJson } from './try-json';
import type { EventParser, RawEvent } from './types';

/** How a protocol names an event: its type, a finer detail, and the parsed payload. */
export type EventLabel = Pick<RawEvent, 'type' | 'detail' | 'data' | 'preview'>;

/** The label every protocol gives `data: [DONE]`. */
export const DONE_TYPE = '[DONE]';

/** The type of an SSE comment line (`: keep-alive`). */
export const COMMENT_TYPE = 'comment';

/**
 * A parser for an SSE body. Comments become `comment` events and `data: [DONE]` a `[DONE]`
 * event; every other event is labelled by `label`, given the message and its data as JSON.
 */
export function sseEventParser(label: (message: SseMessage, data: unknown) => EventLabel): EventParser {
	const sse = new SseParser();
	let seq = 0;
	const toEvents = (messages: SseMessage[], at: number): RawEvent[] =>
		messages.map((message) => {
			const base = { seq: seq++, at, raw: message.raw, payload: message.data };
			if (!message.hasData && message.event === undefined) {
				return { ...base, type: COMMENT_TYPE, payload: message.comments.join('\n') };
			}
			if (message.data === DONE_TYPE) return { ...base, type: DONE_TYPE };
			const data = tryJson(message.data);
			return { ...base, ...label(message, data) };
		});
	return {
		parseChunk: (text, at = 0) => toEvents(sse.push(text), at),
		flush: (at = 0) => toEvents(sse.end(), at)
	};
}

/**
 * A parser for a body of lines (assistant-stream's data stream, `code:JSON`): one event per
 * non-empty line, labelled by `label` given the line.
 */
export function lineEventParser(label: (line: string) => EventLabel & { payload: string }): EventParser {
	let buffer = '';
	let seq = 0;
	const toEvent = (line: string, at: number): RawEvent => ({ seq: seq++, at, raw: line, ...label(line) });
	return {
		parseChunk(text, at = 0) {
			buffer += text;
			const lines = buffer.split('\n');
			buffer = lines.pop() ?? '';
			return lines
				.map((line) => line.replace(/\r$/, ''))
				.filter((line) => line !== '')
				.map((line) => toEvent(line, at));
		},
		flush(at = 0) {
			const line = buffer.replace(/\r$/, '');
			buffer = '';
			return line === '' ? [] : [toEvent(line, at)];
		}
	};
}

/** A string field of a JSON object, if it has one. */
export function stringField(data: unknown, field: string): string | undefined {
	if (typeof data !== 'object' || data === null) return undefined;
	const value = (data as Record<string, unknown>)[field];
	return typeof value === 'string' ? value : undefined;
}

/** A JSON object as compact JSON without some of its keys (those the event's type already shows). */
export function previewWithout(data: unknown, keys: readonly string[]): string | undefined {
	if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
	const rest = Object.fromEntries(Object.entries(data).filter(([key]) => !keys.includes(key)));
	return JSON.stringify(rest);
}
