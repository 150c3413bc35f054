import { hash, verify } from '@node-rs/argon2';

/** OWASP's minimum argon2id settings: 19 MiB, two passes, one lane. */
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

/** Checks a password against an argon2 hash; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password, ARGON2_OPTIONS);
	} catch {
		return false;
	}
}
