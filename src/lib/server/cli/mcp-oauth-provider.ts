import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '../mcp/mcp-fetch';

/**
 * OAuth sign-in for `npm run cli -- mcp-client --oauth`: the SDK's `auth()` does the protocol
 * (metadata discovery, dynamic registration or a pre-registered client, PKCE, resource
 * indicators, refresh); this provider keeps what it hands over in memory for the one run, and
 * obtains the authorization code through an {@link Authorize} function — the operator's browser
 * coming back to a loopback listener ({@link startLoopbackReceiver}), or, for headless test
 * servers that approve at once, reading the code from the authorization endpoint's redirect
 * ({@link autoApprove}).
 */

/** Obtains the authorization code for an authorization URL (whose `state` it must check). */
export type Authorize = (authorizationUrl: URL) => Promise<string>;

/** Most authorizations one run starts: a server that keeps asking for more is given up on. */
export const MAX_AUTHORIZATIONS = 3;

export interface CliOAuthOptions {
	/** Where the authorization server sends the browser back: the loopback listener. */
	redirectUrl: string;
	/** A pre-registered client (no dynamic registration). */
	clientId?: string;
	clientSecret?: string;
	/** An HTTPS URL of a client metadata document, used as the client id where the server accepts one. */
	clientMetadataUrl?: string;
	/** Scopes to ask for when neither the server's challenge nor its metadata names any. */
	scope?: string;
	authorize: Authorize;
	/** Most authorizations started (default {@link MAX_AUTHORIZATIONS}). */
	maxAuthorizations?: number;
}

/** A random, URL-safe value (PKCE's state). */
function randomToken(): string {
	return randomBytes(24).toString('base64url');
}

/** The in-memory OAuth client of one CLI run. */
export class CliOAuthProvider implements OAuthClientProvider {
	readonly clientMetadataUrl?: string;
	#options: CliOAuthOptions;
	#client?: OAuthClientInformationMixed;
	#tokens?: OAuthTokens;
	#codeVerifier?: string;
	#discovery?: OAuthDiscoveryState;
	#pending?: Promise<string>;
	#authorizations = 0;

	constructor(options: CliOAuthOptions) {
		this.#options = options;
		this.clientMetadataUrl = options.clientMetadataUrl;
		if (options.clientId) {
			this.#client = { client_id: options.clientId, ...(options.clientSecret ? { client_secret: options.clientSecret } : {}) };
		}
	}

	get redirectUrl(): string {
		return this.#options.redirectUrl;
	}

	get clientMetadata(): OAuthClientMetadata {
		return {
			client_name: 'Parley CLI',
			redirect_uris: [this.#options.redirectUrl],
			grant_types: ['authorization_code', 'refresh_token'],
			response_types: ['code'],
			...(this.#options.scope ? { scope: this.#options.scope } : {})
		};
	}

	/** How many authorizations this run started. */
	get authorizations(): number {
		return this.#authorizations;
	}

	state(): string {
		return randomToken();
	}

	clientInformation(): OAuthClientInformationMixed | undefined {
		return this.#client;
	}

	saveClientInformation(information: OAuthClientInformationMixed): void {
		this.#client = information;
	}

	tokens(): OAuthTokens | undefined {
		return this.#tokens;
	}

	saveTokens(tokens: OAuthTokens): void {
		this.#tokens = tokens;
	}

	saveCodeVerifier(codeVerifier: string): void {
		this.#codeVerifier = codeVerifier;
	}

	codeVerifier(): string {
		if (!this.#codeVerifier) throw new Error('No sign-in was started.');
		return this.#codeVerifier;
	}

	saveDiscoveryState(state: OAuthDiscoveryState): void {
		this.#discovery = state;
	}

	discoveryState(): OAuthDiscoveryState | undefined {
		return this.#discovery;
	}

	invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
		if (scope === 'all' || scope === 'client') {
			// A pre-registered client stays: it is what the operator gave.
			this.#client = this.#options.clientId ? this.#client : undefined;
		}
		if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
		if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
		if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
	}

	/** Starts obtaining the code (the SDK then reports the request as unauthorized). */
	redirectToAuthorization(authorizationUrl: URL): void {
		const most = this.#options.maxAuthorizations ?? MAX_AUTHORIZATIONS;
		if (this.#authorizations >= most) {
			throw new Error(`The server still refuses after ${most} sign-ins (it may need scopes this account cannot get); giving up.`);
		}
		this.#authorizations++;
		const pending = this.#options.authorize(authorizationUrl);
		// Awaited by whoever takes it; never an unhandled rejection meanwhile.
		pending.catch(() => {});
		this.#pending = pending;
	}

	/** The code of the authorization started last, if one is waiting to be exchanged (once). */
	takePendingAuthorization(): Promise<string> | undefined {
		const pending = this.#pending;
		this.#pending = undefined;
		return pending;
	}
}

/** The code of a redirect back to `redirectUrl`, checking its `state`; throws what went wrong. */
export function codeOfRedirect(location: URL, redirectUrl: string, expectedState: string | null): string {
	const expected = new URL(redirectUrl);
	if (location.origin !== expected.origin || location.pathname !== expected.pathname) {
		throw new Error(`The authorization server sent the browser to ${location.origin}${location.pathname}, not back to ${redirectUrl}.`);
	}
	const error = location.searchParams.get('error');
	if (error) {
		const description = location.searchParams.get('error_description');
		throw new Error(`The authorization server refused the sign-in: ${error}${description ? ` (${description})` : ''}.`);
	}
	if (expectedState !== null && location.searchParams.get('state') !== expectedState) {
		throw new Error('The sign-in came back with a different state; it was not the one this run started.');
	}
	const code = location.searchParams.get('code');
	if (!code) throw new Error('The sign-in came back without an authorization code.');
	return code;
}

/**
 * `--oauth-auto-approve`: requests the authorization URL and takes the code from the redirect it
 * answers with — for servers (test servers, the conformance suite's) that approve at once. It
 * follows that one redirect only, and never fills in a sign-in page.
 */
export function autoApprove(fetch: FetchLike, redirectUrl: string): Authorize {
	return async (authorizationUrl) => {
		const response = await fetch(authorizationUrl, { method: 'GET', redirect: 'manual' });
		await response.body?.cancel().catch(() => {});
		const location = response.headers.get('location');
		if (response.status < 300 || response.status > 399 || !location) {
			throw new Error(
				`The authorization server answered ${response.status} instead of redirecting back at once; sign in without --oauth-auto-approve.`
			);
		}
		return codeOfRedirect(new URL(location, authorizationUrl), redirectUrl, authorizationUrl.searchParams.get('state'));
	};
}

/** The loopback listener the operator's browser comes back to. */
export interface LoopbackReceiver {
	/** `http://127.0.0.1:<port>/callback`. */
	redirectUrl: string;
	/** Resolves with the code when the browser comes back with `state` (rejects after `timeoutMs`). */
	waitForCode(state: string, timeoutMs: number): Promise<string>;
	close(): Promise<void>;
}

/** A short page for the browser. */
function page(title: string, text: string): string {
	const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${escape(title)}</h1><p>${escape(text)}</p></body></html>`;
}

/** Listens on 127.0.0.1 (`port`, or any free one with 0) for `GET /callback?code=…&state=…`. */
export async function startLoopbackReceiver(port: number): Promise<LoopbackReceiver> {
	const waiting = new Map<string, { resolve: (code: string) => void; reject: (error: Error) => void }>();
	const server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const state = url.searchParams.get('state') ?? '';
		const waiter = waiting.get(state);
		const answer = (status: number, title: string, text: string) => {
			response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
			response.end(page(title, text));
		};
		if (request.method !== 'GET' || url.pathname !== '/callback') return answer(404, 'Not found', 'This address only receives sign-ins.');
		if (!waiter) return answer(400, 'Unknown sign-in', 'This sign-in was not started by the waiting command, or it already finished.');
		waiting.delete(state);
		try {
			const code = codeOfRedirect(new URL(url.pathname + url.search, receiver.redirectUrl), receiver.redirectUrl, state);
			answer(200, 'Signed in', 'You can close this tab and go back to the terminal.');
			waiter.resolve(code);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			answer(400, 'Sign-in failed', message);
			waiter.reject(new Error(message));
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	server.unref();
	const bound = (server.address() as AddressInfo).port;
	const receiver: LoopbackReceiver = {
		redirectUrl: `http://127.0.0.1:${bound}/callback`,
		waitForCode(state, timeoutMs) {
			return new Promise<string>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiting.delete(state);
					reject(new Error(`No sign-in came back within ${Math.round(timeoutMs / 1000)} s.`));
				}, timeoutMs);
				waiting.set(state, {
					resolve: (code) => (clearTimeout(timer), resolve(code)),
					reject: (error) => (clearTimeout(timer), reject(error))
				});
			});
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const waiter of waiting.values()) waiter.reject(new Error('The sign-in was cancelled.'));
				waiting.clear();
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	return receiver;
}
