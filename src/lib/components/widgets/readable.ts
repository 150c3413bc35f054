/** A key or type name for people: `first_name` and `firstName` become "First name". */
export function humanize(name: string): string {
	const words = name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/[_-]+/g, ' ')
		.trim()
		.toLowerCase();
	return words ? words[0].toUpperCase() + words.slice(1) : name;
}

/** A value as one line of text: strings as they are, `yes`/`no`, numbers, JSON for the rest. */
export function readableValue(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (value === null || value === undefined) return '—';
	return prettyJson(value, 0);
}

/** JSON for people, never throwing (a value JSON cannot hold shows as its string form). */
export function prettyJson(value: unknown, indent = 2): string {
	try {
		return JSON.stringify(value, null, indent) ?? String(value);
	} catch {
		return String(value);
	}
}

/**
 * A flat object's entries as readable label/value pairs, for a key/value list; undefined when the
 * value is not a plain object of plain values (it then reads better as JSON).
 */
export function readableEntries(value: unknown): { label: string; value: string }[] | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const entries = Object.entries(value);
	if (entries.length === 0 || entries.some(([, item]) => typeof item === 'object' && item !== null)) return undefined;
	return entries.map(([key, item]) => ({ label: humanize(key), value: readableValue(item) }));
}
