// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Db } from '$lib/server/db';
import type { SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			db: Db;
			/** The signed-in user, by session cookie or API key. */
			user: SessionUser | null;
			/** The lucia session id when signed in by cookie. */
			sessionId: string | null;
			/** The API key of the request, when it came with one. */
			apiKeyId: string | null;
			/** How the user was authenticated. */
			authMethod: 'session' | 'api-key' | null;
		}
	}
}

export {};
