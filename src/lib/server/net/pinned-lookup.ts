import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * DNS pinning: a connection is made to the addresses that were checked, so a DNS answer that
 * changes between the check and the connect (DNS rebinding) cannot reach another address.
 */

/** A `lookup` for `net.connect` that only ever answers with the pre-checked addresses. */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
	return (hostname, options, callback) => {
		const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
		const matching = family === 4 || family === 6 ? addresses.filter((address) => address.family === family) : addresses;
		if (matching.length === 0) {
			const error: NodeJS.ErrnoException = new Error(`No IPv${family} address for ${hostname}`);
			error.code = 'ENOTFOUND';
			callback(error, '', 0);
		} else if (options.all) {
			callback(null, matching);
		} else {
			callback(null, matching[0].address, matching[0].family);
		}
	};
}
