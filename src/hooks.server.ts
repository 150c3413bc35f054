import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { authHandle } from '$lib/server/auth/handle';
import { ConfigError, getConfig } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { seedDemoData } from '$lib/server/db/seed';

/** Validates the configuration, opens and migrates the database, and seeds the demo agents. */
export const init: ServerInit = async () => {
	try {
		getConfig();
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		console.error(`[parley] ${error.message}`);
		process.exit(1);
	}
	await seedDemoData(await getDb());
};

export const handle: Handle = authHandle;

/** Unexpected errors are logged with their detail; people see a plain message. */
export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status >= 500) console.error('[parley] unexpected error', error);
	return { message: status >= 500 ? 'Something went wrong on our side. Please try again.' : message };
};
