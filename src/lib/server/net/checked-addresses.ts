import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ToolError } from '../tools/tool-error';
import { normalizeHost } from './allowed-hosts';
import { ADDRESS_PHRASES, classifyAddress } from './classify-address';

/** Resolves a hostname to all of its addresses. */
export type HostLookup = (hostname: string) => Promise<readonly LookupAddress[]>;

/** `dns.promises.lookup` with every address, in the resolver's order. */
export const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Settles with `promise`, or rejects as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/** The addresses a URL's host may be reached at, after checking them against the policy. */
export async function checkedAddresses(
	url: URL,
	allowed: ReadonlySet<string>,
	lookup: HostLookup,
	signal: AbortSignal
): Promise<LookupAddress[]> {
	const host = normalizeHost(url.hostname);
	const isAllowed = allowed.has(host);
	const family = isIP(host);
	if (family !== 0) {
		const kind = classifyAddress(host);
		if (!isAllowed && kind !== 'public') {
			throw new ToolError(`Refused: ${host} is ${ADDRESS_PHRASES[kind]}.`);
		}
		return [{ address: host, family }];
	}
	let addresses: readonly LookupAddress[];
	try {
		addresses = await abortable(lookup(host), signal);
	} catch (error) {
		if (signal.aborted) throw error;
		throw new ToolError(`Could not resolve ${host}.`, { cause: error });
	}
	if (addresses.length === 0) throw new ToolError(`Could not resolve ${host}.`);
	if (!isAllowed) {
		for (const { address } of addresses) {
			const kind = classifyAddress(address);
			if (kind !== 'public') {
				throw new ToolError(`Refused: ${host} resolves to ${ADDRESS_PHRASES[kind]} (${address}).`);
			}
		}
	}
	return [...addresses];
}
