import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../config';
import { AppError } from '../errors';

/**
 * Secrets kept in the database (an MCP server's header values, later OAuth tokens) are sealed
 * with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. The key is SHA-256 of
 * `SECRET_KEY` (or `MCP_SECRET`); without one, 32 random bytes generated once and kept in
 * `secret.key` beside a `file:` database. A remote database has no "beside", so it needs the
 * setting — asked for only when a secret is sealed or opened.
 */

const VERSION = 'v1';
const KEY_FILE = 'secret.key';

/** The settings the key comes from. */
export type SecretConfig = Pick<Config, 'SECRET_KEY' | 'MCP_SECRET' | 'DATABASE_URL'>;

/** The folder of a `file:` database, or undefined for a remote or in-memory one. */
function databaseDir(databaseUrl: string): string | undefined {
	if (!databaseUrl.startsWith('file:')) return undefined;
	const path = databaseUrl.slice('file:'.length).split('?')[0];
	if (!path || path === ':memory:') return undefined;
	return dirname(isAbsolute(path) ? path : resolve(path));
}

/** The key file used when no key is set: `secret.key` beside a `file:` database. */
export function keyFileOf(config: SecretConfig): string | undefined {
	const dir = databaseDir(config.DATABASE_URL);
	return dir ? join(dir, KEY_FILE) : undefined;
}

/** Keys of in-memory databases, for the life of the process. */
let memoryKey: Buffer | undefined;

/** Reads the key file, creating it (readable by its owner only) the first time. */
function keyFromFile(path: string): Buffer {
	if (!existsSync(path)) {
		mkdirSync(dirname(path), { recursive: true });
		try {
			// `wx` fails when another process made it meanwhile; then that one's key is read.
			writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
		} catch (error) {
			if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
		}
	}
	const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
	if (key.length !== 32) throw new AppError('internal', `The key file ${path} is damaged: it must hold 32 bytes in base64.`);
	return key;
}

/**
 * The 32-byte key secrets are sealed with.
 * @throws {AppError} when the database is remote and neither `SECRET_KEY` nor `MCP_SECRET` is set.
 */
export function secretKey(config: SecretConfig): Buffer {
	const setting = config.SECRET_KEY ?? config.MCP_SECRET;
	if (setting) return createHash('sha256').update(setting, 'utf8').digest();
	const file = keyFileOf(config);
	if (file) return keyFromFile(file);
	if (config.DATABASE_URL.startsWith('file:')) return (memoryKey ??= randomBytes(32));
	throw new AppError(
		'unprocessable',
		'SECRET_KEY is not set: with a remote database, set SECRET_KEY (32 characters or more) to store secrets such as MCP server headers.',
		{ field: 'headers' }
	);
}

/** Seals a JSON value with AES-256-GCM. */
export function sealSecret(value: unknown, key: Buffer): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
	return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

/**
 * Opens a value made by {@link sealSecret}.
 * @throws {Error} when the text was changed or the key is not the one it was sealed with.
 */
export function openSecret<T = unknown>(sealed: string, key: Buffer): T {
	const [version, iv, tag, data] = sealed.split('.');
	if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) {
		throw new Error('The stored secret is not in a known format.');
	}
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
		return JSON.parse(text) as T;
	} catch (error) {
		throw new Error('The stored secret cannot be opened: it was changed, or SECRET_KEY is not the key it was stored with.', {
			cause: error
		});
	}
}
