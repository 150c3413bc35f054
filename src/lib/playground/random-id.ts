const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random id of 24 lower-case letters and digits (over 120 bits), the kind `POST /api/chat`
 * accepts as a client-proposed task id (8–64 of `[A-Za-z0-9_-]`).
 */
export function randomId(): string {
	const bytes = new Uint8Array(24);
	crypto.getRandomValues(bytes);
	// `% 36` favours the first four characters slightly (256 = 7 × 36 + 4): harmless for an id.
	return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}
