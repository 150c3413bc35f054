/** True for a plain object such as parsed JSON's `{…}`: not `null`, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
