/** "10 s", "1.5 s" or "100 ms". */
export function formatDuration(ms: number): string {
	return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${ms} ms`;
}
