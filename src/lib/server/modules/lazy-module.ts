/**
 * A module only some requests need (Redis, the DOCX reader), loaded when first needed rather
 * than at start-up: a server that never uses it neither reads nor keeps it.
 */

/** A module of `feature` that could not be loaded: the feature's error, naming the cause. */
export class ModuleLoadError extends Error {
	constructor(
		readonly feature: string,
		cause: unknown
	) {
		super(`${feature} is not available: its module could not be loaded (${cause instanceof Error ? cause.message : String(cause)}).`, {
			cause
		});
		this.name = 'ModuleLoadError';
	}
}

/**
 * Returns a function that makes its value with `make` on the first call: every later call, and
 * every call made while it is being made, shares that one promise. A failure rejects the calls
 * that shared it, and the next call tries again.
 */
export function loadOnce<T>(make: () => Promise<T>): () => Promise<T> {
	let loading: Promise<T> | undefined;
	return () => {
		loading ??= make().catch((error: unknown) => {
			loading = undefined;
			throw error;
		});
		return loading;
	};
}

/**
 * Returns a loader of the module `load` imports: the first call loads it, every later call (and
 * every call made while it loads) shares that one load. A failed load rejects with a
 * {@link ModuleLoadError} for `feature`, and the next call tries again.
 */
export function lazyModule<T>(feature: string, load: () => Promise<T>): () => Promise<T> {
	return loadOnce(() =>
		load().catch((error: unknown) => {
			throw new ModuleLoadError(feature, error);
		})
	);
}
