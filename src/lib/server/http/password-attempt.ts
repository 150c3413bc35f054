import type { RequestEvent } from '@sveltejs/kit';
import { AppError } from '../errors';
import { clientAddressOf } from './client-address';
import { beginLoginAttempt } from './rate-limit';

/**
 * Runs `check`, a check of the signed-in person's current password, under the failed log-in
 * limits of their account and address: a stolen session cannot guess the password any faster
 * than the log-in form allows. Only a wrong password counts.
 */
export async function passwordAttempt<T>(
	event: Pick<RequestEvent, 'request' | 'getClientAddress'>,
	email: string,
	check: () => Promise<T>
): Promise<T> {
	const attempt = await beginLoginAttempt(email, clientAddressOf(event));
	try {
		const result = await check();
		await attempt.refund();
		return result;
	} catch (error) {
		if (!(error instanceof AppError && error.code === 'unauthorized')) await attempt.refund();
		throw error;
	}
}
