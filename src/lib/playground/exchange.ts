import { initialAnswer } from './answer-state';
import type { ExchangeOutcome, ResponseHead } from './run-exchange';
import type { AnswerState, PlaygroundProtocol, PlaygroundRequest, ProtocolId, RawEvent } from './types';

/** What the person sent: a message, or a tool's output. */
export type ExchangeInput =
	{ kind: 'message'; text: string } | { kind: 'tool-output'; toolName: string; toolCallId: string; output: unknown };

/** Why an exchange has no (or no complete) answer. */
export type ExchangeFailure =
	{ kind: 'http-error'; status: number; statusText: string; body: unknown } | { kind: 'failed'; message: string };

/** One request of the playground and everything its response brought. */
export interface Exchange {
	id: number;
	protocol: ProtocolId;
	input: ExchangeInput;
	request: PlaygroundRequest;
	/** `sending` until the status line arrives, `streaming` while the body arrives, then `done`. */
	phase: 'sending' | 'streaming' | 'done';
	head?: ResponseHead;
	events: RawEvent[];
	answer: AnswerState;
	failure?: ExchangeFailure;
	/** Stopped by the person. */
	stopped?: boolean;
	/** Milliseconds from the request to the end of the body. */
	durationMs?: number;
}

/** A new exchange, before its request is sent. */
export function newExchange(id: number, protocol: ProtocolId, input: ExchangeInput, request: PlaygroundRequest): Exchange {
	return { id, protocol, input, request, phase: 'sending', events: [], answer: initialAnswer() };
}

/** The exchange once the status line arrived. */
export function withHead(exchange: Exchange, head: ResponseHead): Exchange {
	return { ...exchange, head, phase: 'streaming' };
}

/** The exchange with more events, and its answer rendered through them. */
export function withEvents(exchange: Exchange, protocol: PlaygroundProtocol, events: RawEvent[]): Exchange {
	return { ...exchange, events: [...exchange.events, ...events], answer: events.reduce(protocol.applyEvent, exchange.answer) };
}

/** The notice of a stream that ended without its protocol's last event. */
export const ENDED_EARLY = 'The stream ended without a final event.';

/**
 * The exchange once its request ended. An answer still `streaming` when the body ended was cut
 * short: by the person (Stop), by a failure, or by a stream that closed before its last event.
 */
export function finishExchange(exchange: Exchange, outcome: ExchangeOutcome, durationMs: number): Exchange {
	const done: Exchange = { ...exchange, phase: 'done', durationMs, head: outcome.head ?? exchange.head };
	const open = done.answer.status === 'streaming';
	switch (outcome.kind) {
		case 'streamed':
			return open ? { ...done, answer: { ...done.answer, status: 'interrupted', notice: ENDED_EARLY } } : done;
		case 'aborted':
			return {
				...done,
				stopped: true,
				answer: open ? { ...done.answer, status: 'interrupted', notice: 'Stopped: the request was cancelled.', pending: [] } : done.answer
			};
		case 'http-error':
			return {
				...done,
				failure: { kind: 'http-error', status: outcome.head.status, statusText: outcome.head.statusText, body: outcome.body },
				answer: { ...done.answer, status: 'error' }
			};
		case 'failed':
			return {
				...done,
				failure: { kind: 'failed', message: outcome.message },
				answer: { ...done.answer, status: open ? 'error' : done.answer.status }
			};
	}
}

/** Whether the response was accepted (2xx), so that its task and history count. */
export function accepted(exchange: Exchange): boolean {
	return exchange.head !== undefined && exchange.head.status >= 200 && exchange.head.status < 300;
}

/** The message of an error body: Parley's `{"error": {"message"}}` (and OpenAI's), else the text itself. */
export function errorMessageOf(body: unknown): string {
	if (typeof body === 'string') return body.trim() || 'The server sent no details.';
	const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
	const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
	return typeof message === 'string' ? message : JSON.stringify(body);
}
