import { AppError } from '../errors';

/**
 * Faces name some fields their own way: the services and the runtime blame a task's `id` or a
 * tool answer's `call_id`, which a face may call `session_id` or `toolCallId`. Each protocol
 * keeps its names in its own `field-names.ts` (shared name → the face's) and renames the field of
 * every error it answers with, in one place: its response.
 */
export type FieldNames = Readonly<Record<string, string>>;

/** An error with its field named as the face names it; anything else unchanged. */
export function renameField(error: unknown, fieldNames: FieldNames): unknown {
	if (!(error instanceof AppError) || error.field === undefined) return error;
	const field = Object.hasOwn(fieldNames, error.field) ? fieldNames[error.field] : undefined;
	return field ? new AppError(error.code, error.message, { ...error.options, field }) : error;
}
