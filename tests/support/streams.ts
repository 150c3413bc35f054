/** Reads a response body as text chunks, as they arrive. */
export function textReader(body: ReadableStream<Uint8Array> | null): ReadableStreamDefaultReader<string> {
	if (!body) throw new Error('The response has no body');
	const decoder = new TextDecoder();
	return body
		.pipeThrough(
			new TransformStream<Uint8Array, string>({
				transform: (chunk, controller) => controller.enqueue(decoder.decode(chunk, { stream: true }))
			})
		)
		.getReader();
}

/** Reads a byte stream to the end and decodes it as UTF-8. */
export async function collectText(stream: ReadableStream<Uint8Array>): Promise<string> {
	return readRest(textReader(stream));
}

/** Reads until `marker` has been seen; returns what was read. Throws when the stream ends first. */
export async function readUntil(reader: ReadableStreamDefaultReader<string>, marker: string): Promise<string> {
	let seen = '';
	while (!seen.includes(marker)) {
		const { value, done } = await reader.read();
		if (done) throw new Error(`The stream ended before ${marker}`);
		seen += value;
	}
	return seen;
}

/** Reads what is left of a stream. */
export async function readRest(reader: ReadableStreamDefaultReader<string>): Promise<string> {
	let text = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) return text;
		text += value;
	}
}

/** A readable stream that yields the given items, then closes. */
export function streamOf<T>(items: T[]): ReadableStream<T> {
	return new ReadableStream<T>({
		start(controller) {
			for (const item of items) controller.enqueue(item);
			controller.close();
		}
	});
}

/** Reads a stream to its end. */
export async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of stream) items.push(item);
	return items;
}

/** One server-sent event with its JSON data. */
export interface SseMessage<Data = Record<string, unknown>> {
	event: string;
	data: Data;
}

/** Parses a whole SSE body of JSON data lines (keep-alive comments skipped). */
export function parseSse<Data = Record<string, unknown>>(text: string): SseMessage<Data>[] {
	return text
		.split('\n\n')
		.filter((block) => block.trim() !== '' && !block.startsWith(':'))
		.map((block) => {
			let event = 'message';
			const data: string[] = [];
			for (const line of block.split('\n')) {
				if (line.startsWith('event: ')) event = line.slice('event: '.length);
				else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
			}
			return { event, data: JSON.parse(data.join('\n')) as Data };
		});
}
