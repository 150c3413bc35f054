import { isIP } from 'node:net';
import type { RequestEvent } from '@sveltejs/kit';
import { getConfig } from '../config';

/** What stands for a caller whose address is unknown (all such callers share one budget). */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * The address `hops` entries from the right of an `X-Forwarded-For` value (1 = the rightmost, the
 * address the nearest proxy saw); null when the header is missing, too short, or that entry is not
 * an IP address.
 */
export function forwardedAddress(forwardedFor: string | null | undefined, hops: number): string | null {
	if (!forwardedFor || hops < 1) return null;
	const entries = forwardedFor.split(',').map((entry) => entry.trim());
	if (entries.length < hops) return null;
	const address = normalizeAddress(entries[entries.length - hops]);
	return address === UNKNOWN_ADDRESS ? null : address;
}

/**
 * The client's address: with `trustedProxy` = 0 the connection's own address, and `X-Forwarded-For`
 * is never read (any client can write it); with N > 0 the address N entries from the right of
 * `X-Forwarded-For`, falling back to the connection's address when the header has fewer entries.
 */
export function clientAddress(
	input: { forwardedFor: string | null | undefined; socketAddress: string | null | undefined },
	trustedProxy: number = getConfig().TRUSTED_PROXY
): string {
	return (trustedProxy > 0 ? forwardedAddress(input.forwardedFor, trustedProxy) : null) ?? normalizeAddress(input.socketAddress);
}

/**
 * The address of an HTTP request's client. `getClientAddress()` is the socket's address under
 * adapter-node (unless adapter-node's own `ADDRESS_HEADER` is set: see `TRUSTED_PROXY` in
 * `config.ts` for why Parley's setting is the one to use) and the edge's view on Vercel.
 */
export function clientAddressOf(event: Pick<RequestEvent, 'request' | 'getClientAddress'>): string {
	let socketAddress: string | undefined;
	try {
		socketAddress = event.getClientAddress();
	} catch {
		// An adapter that cannot tell (or a header ADDRESS_HEADER names but the request lacks).
	}
	return clientAddress({ forwardedFor: event.request.headers.get('x-forwarded-for'), socketAddress });
}

/** The address of a WebSocket upgrade request's client: its socket's, or by `X-Forwarded-For` as above. */
export function clientAddressOfUpgrade(request: {
	headers: Record<string, string | string[] | undefined>;
	socket?: { remoteAddress?: string };
}): string {
	const header = request.headers['x-forwarded-for'];
	return clientAddress({
		forwardedFor: Array.isArray(header) ? header.join(', ') : header,
		socketAddress: request.socket?.remoteAddress
	});
}

/** An IP address in one spelling: IPv4-mapped IPv6 as IPv4, IPv6 lower-case without zone. */
export function normalizeAddress(address: string | null | undefined): string {
	let value = (address ?? '').trim();
	// `[::1]:443` and `1.2.3.4:80`, as some proxies write them.
	const bracketed = value.match(/^\[([^\]]+)\](?::\d+)?$/);
	if (bracketed) value = bracketed[1];
	else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
	value = value.replace(/%.*$/, '').toLowerCase();
	const mapped = value.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
	if (mapped) value = mapped[1];
	return isIP(value) ? value : UNKNOWN_ADDRESS;
}

/**
 * The key an address is limited by: an IPv4 address itself; an IPv6 address by its /64 network,
 * since one subscriber is usually given a whole /64 and could otherwise change address at will.
 */
export function addressLimitKey(address: string): string {
	if (isIP(address) !== 6) return address;
	return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
	let value = address;
	// An embedded IPv4 tail (`::1.2.3.4`) as two groups.
	const ipv4 = value.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
	if (ipv4) {
		const [a, b, c, d] = ipv4.slice(1).map(Number);
		value = `${value.slice(0, ipv4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = value.split('::');
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail ? tail.split(':') : [];
	const missing = value.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
	return [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups].map((group) => (parseInt(group, 16) || 0).toString(16));
}
