import type { RawEvent } from './types';

/** What the event list shows: events whose text contains `text`, of the chosen types (all when none). */
export interface EventFilter {
	text: string;
	types: readonly string[];
}

/** Whether an event passes the filter; the text is matched case-insensitively against type, detail and raw text. */
export function matchesFilter(event: RawEvent, filter: EventFilter): boolean {
	if (filter.types.length > 0 && !filter.types.includes(event.type)) return false;
	const needle = filter.text.trim().toLowerCase();
	if (needle === '') return true;
	return [event.type, event.detail ?? '', event.raw].some((text) => text.toLowerCase().includes(needle));
}

/** How many events there are of each type, in the order the types first appeared. */
export function typeCounts(events: readonly RawEvent[]): { type: string; count: number }[] {
	const counts = new Map<string, number>();
	for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
	return [...counts].map(([type, count]) => ({ type, count }));
}

/** A colour family for an event type, so that text, tools, state and ends read at a glance. */
export type EventTone = 'text' | 'reasoning' | 'tool' | 'state' | 'end' | 'error' | 'meta';

const TONES: Record<string, EventTone> = {
	'0': 'text',
	g: 'reasoning',
	b: 'tool',
	c: 'tool',
	'9': 'tool',
	a: 'tool',
	'3': 'error',
	d: 'end',
	e: 'meta',
	f: 'meta',
	'aui-state': 'state',
	'update-state': 'state',
	'[DONE]': 'end',
	done: 'end',
	finish: 'end',
	finished: 'end',
	'message-finish': 'end',
	interrupted: 'end',
	abort: 'end',
	comment: 'meta',
	step: 'tool',
	'text-chunk': 'text',
	'reasoning-chunk': 'reasoning',
	openai_event: 'meta',
	'chat.completion.chunk': 'text'
};

/** The tone of an event type. */
export function toneOf(type: string): EventTone {
	const known = TONES[type];
	if (known) return known;
	if (type.includes('error')) return 'error';
	if (type.includes('reasoning')) return 'reasoning';
	if (type.includes('tool') || type === 'result') return 'tool';
	if (type.includes('text')) return 'text';
	return 'meta';
}

/** An event's payload for reading: JSON indented, anything else as it came. */
export function prettyPayload(event: RawEvent): string {
	return event.data === undefined ? event.payload : JSON.stringify(event.data, null, 2);
}

/** A short one-line preview of an event's payload. */
export function previewOf(event: RawEvent, max = 160): string {
	const text = (event.preview ?? event.payload).replace(/\s+/g, ' ');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
