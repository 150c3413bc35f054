/**
 * Ids of a task's feed events: `{epoch}-{seq}`. `seq` counts the task's events from 1; `epoch`
 * names one life of the feed (it starts again after a restart without Redis, or once Redis forgot
 * an idle task), so that an id from an earlier life is never taken for one of this life.
 */
export interface EventPosition {
	epoch: string;
	seq: number;
}

const pattern = /^([a-z0-9]{1,40})-(0|[1-9][0-9]{0,15})$/;

/** The id of an event. */
export function formatEventId(epoch: string, seq: number): string {
	return `${epoch}-${seq}`;
}

/** The position an id names, or null when it is not one of ours. */
export function parseEventId(id: string): EventPosition | null {
	const match = pattern.exec(id);
	return match ? { epoch: match[1], seq: Number(match[2]) } : null;
}

/** A new epoch, unique in practice: the time and some randomness, in base 36. */
export function newEpoch(now = Date.now()): string {
	const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
	return `${now.toString(36)}${random}`;
}
