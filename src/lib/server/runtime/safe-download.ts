import type { streamText } from 'ai';
import type { Config } from '../config';
import { parseAllowedHosts } from '../net/allowed-hosts';
import { safeFetch, type SafeFetchOptions } from '../net/safe-fetch';

/** How the AI SDK asks for the files a model cannot fetch itself. */
export type DownloadFunction = NonNullable<Parameters<typeof streamText>[0]['experimental_download']>;

/**
 * Fetches the files of a prompt that the model cannot read from their URL itself, with the same
 * protections as HTTP tools: private, loopback and link-local addresses are refused after DNS
 * resolution and on every redirect (unless a host is in `HTTP_TOOL_ALLOWED_HOSTS`), and the size
 * is capped at `FILE_SIZE_LIMIT`. A URL the model reads itself is left to the model's provider.
 * Without this, the AI SDK would fetch any URL a caller put in a message, from the server.
 */
export function safeDownload(
	config: Pick<Config, 'HTTP_TOOL_ALLOWED_HOSTS' | 'FILE_SIZE_LIMIT'>,
	options: Pick<SafeFetchOptions, 'lookup' | 'timeoutMs'> = {}
): DownloadFunction {
	return (requests) =>
		Promise.all(
			requests.map(async ({ url, isUrlSupportedByModel }) => {
				if (isUrlSupportedByModel) return null;
				const response = await safeFetch(
					url,
					{},
					{
						...options,
						allowedHosts: parseAllowedHosts(config.HTTP_TOOL_ALLOWED_HOSTS),
						maxBytes: config.FILE_SIZE_LIMIT,
						timeoutMs: options.timeoutMs ?? 30_000
					}
				);
				if (response.status < 200 || response.status >= 300) {
					throw new Error(`The file at ${url.href} could not be downloaded (HTTP ${response.status}).`);
				}
				const mediaType = response.contentType.split(';')[0].trim().toLowerCase();
				return { data: response.bytes, mediaType: mediaType || undefined };
			})
		);
}
