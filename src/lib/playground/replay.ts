import { initialAnswer } from './answer-state';
import type { AnswerState, PlaygroundProtocol, RawEvent } from './types';

/**
 * Parses a whole response body as a protocol would while it streams, cut into chunks of
 * `chunkSize` characters (events that straddle chunks included), and folds the events into the
 * rendered answer.
 */
export function replayBody(
	protocol: PlaygroundProtocol,
	body: string,
	chunkSize = body.length || 1
): { events: RawEvent[]; answer: AnswerState } {
	const parser = protocol.createParser();
	const events: RawEvent[] = [];
	for (let offset = 0; offset < body.length; offset += chunkSize) {
		events.push(...parser.parseChunk(body.slice(offset, offset + chunkSize), offset));
	}
	events.push(...parser.flush(body.length));
	return { events, answer: events.reduce(protocol.applyEvent, initialAnswer()) };
}
