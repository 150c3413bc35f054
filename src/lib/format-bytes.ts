const KB = 1024;
const MB = 1024 * 1024;

/**
 * A byte count for people. A size is rounded: `1.2 MB`, `25 MB`, `512 KB` (at least `1 KB`).
 * With `exact` (limits a person may set to any number), it is only shortened when nothing is
 * lost: `1 MB`, `64 KB`, else `1000 bytes`.
 */
export function formatBytes(bytes: number, { exact = false }: { exact?: boolean } = {}): string {
	if (exact) {
		if (bytes >= MB && bytes % MB === 0) return `${bytes / MB} MB`;
		if (bytes >= KB && bytes % KB === 0) return `${bytes / KB} KB`;
		return bytes === 1 ? '1 byte' : `${bytes} bytes`;
	}
	if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} MB`;
	return `${Math.max(1, Math.round(bytes / KB))} KB`;
}
