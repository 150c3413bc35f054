import { jsonBodyText } from './request';
import type { PlaygroundRequest } from './types';

/** Quotes a word for a POSIX shell: single quotes, with any single quote closed, escaped and reopened. */
export function shellQuote(word: string): string {
	return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The request as a curl command a program could run: the same method, URL, headers and body,
 * `-N` so the stream shows as it arrives, and an API key from `$PARLEY_KEY` instead of the
 * browser's session cookie (double-quoted so the shell expands it). Multipart fields become
 * `-F` options; a value starting with `@` or `<` would make curl read a file, so it goes as
 * `--form-string`.
 */
export function toCurl(request: PlaygroundRequest, origin: string): string {
	const lines = [`curl -N -X ${request.method} ${shellQuote(new URL(request.url, origin).href)}`];
	for (const [name, value] of Object.entries(request.headers)) {
		if (name.toLowerCase() === 'cookie') continue;
		lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
	}
	lines.push('-H "Authorization: Bearer $PARLEY_KEY"');
	if (request.body.kind === 'json') {
		lines.push(`--data-raw ${shellQuote(jsonBodyText(request.body.value))}`);
	} else if (request.body.kind === 'form') {
		for (const [name, value] of request.body.fields) {
			const option = /^[@<]/.test(value) ? '--form-string' : '-F';
			lines.push(`${option} ${shellQuote(`${name}=${value}`)}`);
		}
	}
	return lines.join(' \\\n  ');
}
