/**
 * Stop-mid-stream tests stop an answer once a number of its text deltas have arrived, and then
 * compare what the server kept with those deltas: they depend on what was streamed, not on how
 * fast the model writes.
 */

/** The last sentence of the offline model's long answer ("… a long answer about …"): an answer without it was cut short. */
export const LONG_ANSWER_END = 'it is produced in exactly the same way every time you ask.';

/** The text a server-sent event adds to the answer, or undefined for other events. */
export type DeltaOf = (block: string) => string | undefined;

/** A UI message stream's `data: {"type":"text-delta",…}` event. */
export const uiTextDelta: DeltaOf = (block) => {
	if (!block.startsWith('data: {')) return undefined;
	const chunk = JSON.parse(block.slice('data: '.length)) as { type: string; delta?: string };
	return chunk.type === 'text-delta' ? (chunk.delta ?? '') : undefined;
};

/** The agent API's `event: text_delta` event. */
export const agentApiTextDelta: DeltaOf = (block) => {
	if (!block.startsWith('event: text_delta\n')) return undefined;
	return (JSON.parse(block.slice(block.indexOf('data: ') + 'data: '.length)) as { delta: string }).delta;
};

/** What {@link readTextDeltas} read. */
export interface ReadDeltas {
	/** Everything read, as it came (possibly past the last delta counted). */
	seen: string;
	/** The text of the first `count` deltas. */
	text: string;
}

/**
 * Reads server-sent events until `count` text deltas have arrived; throws when the stream ends
 * first. The reader is left open for the rest.
 */
export async function readTextDeltas(
	reader: ReadableStreamDefaultReader<string>,
	count: number,
	deltaOf: DeltaOf = uiTextDelta
): Promise<ReadDeltas> {
	let seen = '';
	let parsedUpTo = 0;
	const deltas: string[] = [];
	while (deltas.length < count) {
		const { value, done } = await reader.read();
		if (done) throw new Error(`The stream ended after ${deltas.length} of ${count} text deltas.`);
		seen += value;
		let end: number;
		while (deltas.length < count && (end = seen.indexOf('\n\n', parsedUpTo)) !== -1) {
			const delta = deltaOf(seen.slice(parsedUpTo, end));
			if (delta !== undefined) deltas.push(delta);
			parsedUpTo = end + 2;
		}
	}
	return { seen, text: deltas.join('') };
}
