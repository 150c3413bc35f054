import { AppError } from '$lib/server/errors';

/** The most header lines the form takes (the API's own limit checks the rest). */
const MAX_LINES = 50;

/**
 * The headers typed in the form, one `Name: value` per line (blank lines skipped): an object for
 * the API. `invalid_input` on `headers`, naming the line, when one is not of that shape.
 */
export function parseHeaderLines(text: string): Record<string, string> {
	const headers: Record<string, string> = {};
	const lines = text.split(/\r?\n/);
	if (lines.length > MAX_LINES) {
		throw new AppError('invalid_input', `At most ${MAX_LINES} header lines.`, { field: 'headers' });
	}
	for (const [index, line] of lines.entries()) {
		if (line.trim() === '') continue;
		const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line);
		if (!match || match[2] === '') {
			throw new AppError('invalid_input', `Line ${index + 1} is not a header: write "Name: value".`, { field: 'headers' });
		}
		headers[match[1]] = match[2];
	}
	return headers;
}

/** The hosts typed in the form, separated by commas, spaces or lines. */
export function parseHostList(text: string): string[] {
	return text
		.split(/[\s,]+/)
		.map((host) => host.trim())
		.filter((host) => host !== '');
}

/** The most argument lines the form takes (the API's own limit checks the rest). */
const MAX_ARG_LINES = 100;

/**
 * The arguments typed in the form, one a line, as they are (no shell quoting: a line with spaces
 * is one argument); blank lines are skipped.
 */
export function parseArgLines(text: string): string[] {
	const lines = text.split(/\r?\n/);
	if (lines.length > MAX_ARG_LINES) {
		throw new AppError('invalid_input', `At most ${MAX_ARG_LINES} argument lines.`, { field: 'args' });
	}
	return lines.filter((line) => line.trim() !== '');
}
