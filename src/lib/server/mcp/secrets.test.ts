import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyFileOf, openSecret, sealSecret, secretKey } from './secrets';

const dir = mkdtempSync(join(tmpdir(), 'parley-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sealed secrets', () => {
	const key = secretKey({ SECRET_KEY: 'a'.repeat(32), DATABASE_URL: 'libsql://db.example' });

	it('round-trips a value, with a fresh IV each time', () => {
		const value = { headers: { Authorization: 'Bearer s3cret' } };
		const first = sealSecret(value, key);
		const second = sealSecret(value, key);
		expect(first).not.toBe(second);
		expect(first).not.toContain('s3cret');
		expect(openSecret(first, key)).toEqual(value);
		expect(openSecret(second, key)).toEqual(value);
	});

	it('detects tampering and a wrong key', () => {
		const sealed = sealSecret({ token: 'abc' }, key);
		const parts = sealed.split('.');
		const data = Buffer.from(parts[3], 'base64url');
		data[0] ^= 1;
		const tampered = [...parts.slice(0, 3), data.toString('base64url')].join('.');
		expect(() => openSecret(tampered, key)).toThrow(/cannot be opened/);
		const other = secretKey({ SECRET_KEY: 'b'.repeat(32), DATABASE_URL: 'libsql://db.example' });
		expect(() => openSecret(sealed, other)).toThrow(/cannot be opened/);
		expect(() => openSecret('v0.x.y.z', key)).toThrow(/not in a known format/);
	});

	it('accepts MCP_SECRET when SECRET_KEY is unset', () => {
		const alias = secretKey({ MCP_SECRET: 'a'.repeat(32), DATABASE_URL: 'libsql://db.example' });
		expect(alias.equals(key)).toBe(true);
	});

	it('generates a key file beside a file: database once, and reuses it', () => {
		const config = { DATABASE_URL: `file:${join(dir, 'data', 'parley.db')}` };
		const file = keyFileOf(config);
		expect(file).toBe(join(dir, 'data', 'secret.key'));
		expect(existsSync(file!)).toBe(false);
		const first = secretKey(config);
		expect(first).toHaveLength(32);
		const text = readFileSync(file!, 'utf8');
		expect(statSync(file!).mode & 0o777).toBe(0o600);
		const second = secretKey(config);
		expect(second.equals(first)).toBe(true);
		expect(readFileSync(file!, 'utf8')).toBe(text);
		expect(openSecret(sealSecret('x', first), second)).toBe('x');
	});

	it('asks for SECRET_KEY with a remote database', () => {
		expect(() => secretKey({ DATABASE_URL: 'libsql://db.example' })).toThrow(/SECRET_KEY is not set/);
	});
});
