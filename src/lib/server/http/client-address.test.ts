import { describe, expect, it } from 'vitest';
import {
	UNKNOWN_ADDRESS,
	addressLimitKey,
	clientAddress,
	clientAddressOf,
	clientAddressOfUpgrade,
	forwardedAddress,
	normalizeAddress
} from './client-address';

describe('forwardedAddress', () => {
	it('takes the entry N hops from the right', () => {
		const header = '198.51.100.1, 203.0.113.9, 10.0.0.2';
		expect(forwardedAddress(header, 1)).toBe('10.0.0.2');
		expect(forwardedAddress(header, 2)).toBe('203.0.113.9');
		expect(forwardedAddress(header, 3)).toBe('198.51.100.1');
	});

	it('gives nothing for a missing or too short header, or an entry that is not an address', () => {
		expect(forwardedAddress(null, 1)).toBeNull();
		expect(forwardedAddress('', 1)).toBeNull();
		expect(forwardedAddress('10.0.0.2', 2)).toBeNull();
		expect(forwardedAddress('10.0.0.2, not-an-ip', 1)).toBeNull();
		expect(forwardedAddress('10.0.0.2', 0)).toBeNull();
	});
});

describe('clientAddress', () => {
	const socketAddress = '::ffff:127.0.0.1';

	it('ignores X-Forwarded-For unless proxies are trusted', () => {
		expect(clientAddress({ forwardedFor: '198.51.100.1', socketAddress }, 0)).toBe('127.0.0.1');
	});

	it('reads X-Forwarded-For with TRUSTED_PROXY, so a client cannot put its own address first', () => {
		expect(clientAddress({ forwardedFor: '6.6.6.6, 198.51.100.1', socketAddress }, 1)).toBe('198.51.100.1');
		expect(clientAddress({ forwardedFor: '6.6.6.6, 198.51.100.1, 10.0.0.1', socketAddress }, 2)).toBe('198.51.100.1');
	});

	it('falls back to the socket when the header is short or missing', () => {
		expect(clientAddress({ forwardedFor: null, socketAddress }, 1)).toBe('127.0.0.1');
		expect(clientAddress({ forwardedFor: '198.51.100.1', socketAddress }, 2)).toBe('127.0.0.1');
		expect(clientAddress({ forwardedFor: null, socketAddress: undefined }, 0)).toBe(UNKNOWN_ADDRESS);
	});

	it('reads HTTP requests and WebSocket upgrades alike', () => {
		const event = {
			request: new Request('http://x/', { headers: { 'x-forwarded-for': '198.51.100.1' } }),
			getClientAddress: () => '192.0.2.1'
		};
		expect(clientAddressOf(event)).toBe('192.0.2.1');
		expect(
			clientAddressOf({
				...event,
				getClientAddress: () => {
					throw new Error('no address');
				}
			})
		).toBe(UNKNOWN_ADDRESS);
		expect(clientAddressOfUpgrade({ headers: { 'x-forwarded-for': '198.51.100.1' }, socket: { remoteAddress: '::ffff:192.0.2.1' } })).toBe(
			'192.0.2.1'
		);
	});
});

describe('normalizeAddress and addressLimitKey', () => {
	it('spells an address one way', () => {
		expect(normalizeAddress('::FFFF:192.0.2.1')).toBe('192.0.2.1');
		expect(normalizeAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
		expect(normalizeAddress('192.0.2.1:8080')).toBe('192.0.2.1');
		expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1');
		expect(normalizeAddress('evil')).toBe(UNKNOWN_ADDRESS);
	});

	it('limits IPv4 by address and IPv6 by /64', () => {
		expect(addressLimitKey('192.0.2.1')).toBe('192.0.2.1');
		expect(addressLimitKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
		expect(addressLimitKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
		expect(addressLimitKey('::1')).toBe('0:0:0:0::/64');
		expect(addressLimitKey('2001:db8::192.0.2.1')).toBe('2001:db8:0:0::/64');
		expect(addressLimitKey(UNKNOWN_ADDRESS)).toBe(UNKNOWN_ADDRESS);
	});
});
