import { field } from './answer-state';

/** One change to assistant-ui's thread state: `set` a value or `append-text` to a string, at a path. */
export type StateOperation = { type: 'set'; path: string[]; value: unknown } | { type: 'append-text'; path: string[]; value: string };

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
	return typeof value === 'object' && value !== null;
}

/** A copy of `container` with `key` set to `value` (arrays stay arrays). */
function withKey(container: unknown, key: string, value: unknown): Container {
	if (Array.isArray(container)) {
		const copy = container.slice();
		copy[Number(key)] = value;
		return copy;
	}
	return { ...(isContainer(container) ? container : {}), [key]: value };
}

/** The value at a path, or undefined. */
export function valueAt(state: unknown, path: readonly string[]): unknown {
	let value = state;
	for (const key of path) {
		if (!isContainer(value)) return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** A copy of `state` with the value at `path` replaced, copying only the containers on the way. */
function setAt(state: unknown, path: readonly string[], value: unknown): unknown {
	if (path.length === 0) return value;
	const [key, ...rest] = path;
	const child = isContainer(state) ? (state as Record<string, unknown>)[key] : undefined;
	return withKey(state, key, setAt(child, rest, value));
}

/** The state after some operations, as assistant-stream applies them; the input is never changed. */
export function applyStateOperations(state: Record<string, unknown>, operations: readonly StateOperation[]): Record<string, unknown> {
	let next: unknown = state;
	for (const operation of operations) {
		if (operation.type === 'set') {
			next = setAt(next, operation.path, operation.value);
		} else {
			const current = valueAt(next, operation.path);
			next = setAt(next, operation.path, (typeof current === 'string' ? current : '') + operation.value);
		}
	}
	return isContainer(next) && !Array.isArray(next) ? next : {};
}

/** The operations of an `aui-state` line or an `update-state` chunk, keeping only well-formed ones. */
export function readOperations(value: unknown): StateOperation[] {
	if (!Array.isArray(value)) return [];
	return value.flatMap((operation): StateOperation[] => {
		const type = field(operation, 'type');
		const path = field(operation, 'path');
		if (!Array.isArray(path) || !path.every((key) => typeof key === 'string')) return [];
		const opValue = field(operation, 'value');
		if (type === 'set') return [{ type, path, value: opValue }];
		if (type === 'append-text' && typeof opValue === 'string') return [{ type, path, value: opValue }];
		return [];
	});
}
