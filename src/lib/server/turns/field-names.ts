import { AppError } from '../errors';

/**
 * Runs `work`, renaming the field an AppError blames as a face names it (`fieldNames`: the
 * runtime's name → the face's, from the face's `field-names.ts`).
 */
export async function withFieldNames<T>(
	fieldNames: Readonly<Record<string, string>> | undefined,
	work: () => Promise<T>
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw renameField(error, fieldNames);
	}
}

/** An error with its field renamed as `fieldNames` says; anything else unchanged. */
export function renameField(error: unknown, fieldNames: Readonly<Record<string, string>> | undefined): unknown {
	if (!(error instanceof AppError) || error.field === undefined || !fieldNames) return error;
	const field = Object.hasOwn(fieldNames, error.field) ? fieldNames[error.field] : undefined;
	return field ? new AppError(error.code, error.message, { ...error.options, field }) : error;
}
