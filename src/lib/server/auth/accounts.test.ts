import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { users } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import { checkCredentials, createAccount, parseCredentials } from './accounts';
import { verifyPassword } from './password';

let temp: TempDb;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
});

afterEach(() => {
	temp.cleanup();
});

/** Awaits `promise`, expecting an AppError with `code` (and `field` when given), and returns it. */
async function expectAppError(promise: Promise<unknown>, code: AppErrorCode, field?: string): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(AppError);
	const appError = error as AppError;
	expect(appError.code).toBe(code);
	if (field !== undefined) expect(appError.field).toBe(field);
	return appError;
}

const PASSWORD = 'correct horse battery';

describe('createAccount', () => {
	it('makes the first account an admin and later ones users', async () => {
		const first = await createAccount(temp.db, { email: 'first@example.com', password: PASSWORD });
		const second = await createAccount(temp.db, { email: 'second@example.com', password: PASSWORD });
		const third = await createAccount(temp.db, { email: 'third@example.com', password: PASSWORD });
		expect(first.role).toBe('admin');
		expect(second.role).toBe('user');
		expect(third.role).toBe('user');
		const [stored] = await temp.db.select().from(users).where(eq(users.id, first.id));
		expect(stored.role).toBe('admin');
	});

	it('honours an explicit role', async () => {
		await createAccount(temp.db, { email: 'first@example.com', password: PASSWORD });
		const admin = await createAccount(temp.db, { email: 'second@example.com', password: PASSWORD, role: 'admin' });
		expect(admin.role).toBe('admin');
	});

	it('returns the new user, enabled, with its name', async () => {
		const user = await createAccount(temp.db, { email: 'ada@example.com', password: PASSWORD, name: 'Ada' });
		expect(user).toEqual({
			id: expect.any(String),
			email: 'ada@example.com',
			name: 'Ada',
			role: 'admin',
			disabled: false,
			theme: 'system'
		});
	});

	it('stores the email trimmed and lower-cased', async () => {
		const user = await createAccount(temp.db, { email: '  Ada.Lovelace@Example.COM  ', password: PASSWORD });
		expect(user.email).toBe('ada.lovelace@example.com');
		const [stored] = await temp.db.select().from(users).where(eq(users.id, user.id));
		expect(stored.email).toBe('ada.lovelace@example.com');
	});

	it('rejects a taken email, whatever its case, as a conflict on email', async () => {
		await createAccount(temp.db, { email: 'ada@example.com', password: PASSWORD });
		await expectAppError(createAccount(temp.db, { email: 'ada@example.com', password: PASSWORD }), 'conflict', 'email');
		await expectAppError(createAccount(temp.db, { email: ' ADA@example.com', password: PASSWORD }), 'conflict', 'email');
		expect(await temp.db.select().from(users)).toHaveLength(1);
	});

	it('rejects a password shorter than 8 characters', async () => {
		await expectAppError(createAccount(temp.db, { email: 'ada@example.com', password: 'short12' }), 'invalid_input', 'password');
		expect(await temp.db.select().from(users)).toHaveLength(0);
	});

	it('accepts a password of exactly 8 characters', async () => {
		const user = await createAccount(temp.db, { email: 'ada@example.com', password: '12345678' });
		expect(user.email).toBe('ada@example.com');
	});

	it.each(['not-an-email', '', 'ada@', '@example.com'])('rejects the invalid email %j', async (email) => {
		await expectAppError(createAccount(temp.db, { email, password: PASSWORD }), 'invalid_input', 'email');
	});

	it('stores an argon2id hash, not the password', async () => {
		const user = await createAccount(temp.db, { email: 'ada@example.com', password: PASSWORD });
		const [stored] = await temp.db.select().from(users).where(eq(users.id, user.id));
		expect(stored.passwordHash.startsWith('$argon2id$')).toBe(true);
		expect(stored.passwordHash).not.toContain(PASSWORD);
		expect(await verifyPassword(stored.passwordHash, PASSWORD)).toBe(true);
		expect(await verifyPassword(stored.passwordHash, 'something else')).toBe(false);
	});

	it('salts hashes: the same password gives different hashes', async () => {
		await createAccount(temp.db, { email: 'a@example.com', password: PASSWORD });
		await createAccount(temp.db, { email: 'b@example.com', password: PASSWORD });
		const [a, b] = await temp.db.select().from(users);
		expect(a.passwordHash).not.toBe(b.passwordHash);
	});
});

describe('parseCredentials', () => {
	it('names the field of the first problem', () => {
		const fieldOf = (input: unknown) => {
			try {
				parseCredentials(input);
			} catch (error) {
				expect(error).toBeInstanceOf(AppError);
				expect((error as AppError).code).toBe('invalid_input');
				return (error as AppError).field;
			}
			return 'no error';
		};
		expect(fieldOf({ email: 'ada@example.com' })).toBe('password');
		expect(fieldOf({ email: 'ada@example.com', password: 'x' })).toBe('password');
		expect(fieldOf({ email: 'nope', password: PASSWORD })).toBe('email');
		expect(fieldOf({ password: PASSWORD })).toBe('email');
		expect(parseCredentials({ email: ' ADA@example.com ', password: PASSWORD })).toEqual({
			email: 'ada@example.com',
			password: PASSWORD
		});
	});
});

describe('checkCredentials', () => {
	let userId: string;

	beforeEach(async () => {
		userId = (await createAccount(temp.db, { email: 'ada@example.com', password: PASSWORD, name: 'Ada' })).id;
	});

	it('returns the user for the right password', async () => {
		const user = await checkCredentials(temp.db, { email: 'ada@example.com', password: PASSWORD });
		expect(user).toEqual({ id: userId, email: 'ada@example.com', name: 'Ada', role: 'admin', disabled: false, theme: 'system' });
	});

	it('matches the email case-insensitively', async () => {
		const user = await checkCredentials(temp.db, { email: '  Ada@Example.com ', password: PASSWORD });
		expect(user.id).toBe(userId);
	});

	it('answers a wrong password and an unknown email with the same unauthorized error', async () => {
		const wrongPassword = await expectAppError(
			checkCredentials(temp.db, { email: 'ada@example.com', password: 'wrong password' }),
			'unauthorized'
		);
		const unknownEmail = await expectAppError(
			checkCredentials(temp.db, { email: 'nobody@example.com', password: PASSWORD }),
			'unauthorized'
		);
		expect(unknownEmail.message).toBe(wrongPassword.message);
		expect(unknownEmail.field).toBe(wrongPassword.field);
	});

	it('refuses a disabled account with forbidden', async () => {
		await temp.db.update(users).set({ disabled: true }).where(eq(users.id, userId));
		await expectAppError(checkCredentials(temp.db, { email: 'ada@example.com', password: PASSWORD }), 'forbidden');
	});

	it('does not reveal that a disabled account exists to a wrong password', async () => {
		await temp.db.update(users).set({ disabled: true }).where(eq(users.id, userId));
		await expectAppError(checkCredentials(temp.db, { email: 'ada@example.com', password: 'wrong password' }), 'unauthorized');
	});
});
