import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** A random text id with 128 bits of entropy (26 lower-case base32 characters). */
export function newId(): string {
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** Ids a client may propose for a new task (`POST /api/chat`): 8–64 of `[A-Za-z0-9_-]`. */
export const clientTaskIdPattern = /^[A-Za-z0-9_-]{8,64}$/;
