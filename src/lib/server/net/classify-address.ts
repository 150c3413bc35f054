import { isIPv4, isIPv6 } from 'node:net';

/** The kind of an IP address; anything but `public` is refused unless its host is allow-listed. */
export type AddressClass =
	| 'public'
	| 'unspecified'
	| 'loopback'
	| 'private'
	| 'carrier-grade-nat'
	| 'link-local'
	| 'unique-local'
	| 'site-local'
	| 'multicast'
	| 'reserved'
	| 'invalid';

/** How a refusal names each class of address: `Refused: host is a private address.` */
export const ADDRESS_PHRASES: Record<Exclude<AddressClass, 'public'>, string> = {
	unspecified: 'an unspecified address',
	loopback: 'a loopback address',
	private: 'a private address',
	'carrier-grade-nat': 'a carrier-grade NAT address',
	'link-local': 'a link-local address',
	'unique-local': 'a unique-local address',
	'site-local': 'a site-local address',
	multicast: 'a multicast address',
	reserved: 'a reserved address',
	invalid: 'an invalid address'
};

/** IPv4 ranges that are not publicly routable, most specific first where they overlap. */
const IPV4_RANGES: ReadonlyArray<readonly [string, number, AddressClass]> = [
	['0.0.0.0', 8, 'unspecified'],
	['10.0.0.0', 8, 'private'],
	['100.64.0.0', 10, 'carrier-grade-nat'],
	['127.0.0.0', 8, 'loopback'],
	['169.254.0.0', 16, 'link-local'],
	['172.16.0.0', 12, 'private'],
	['192.0.0.0', 24, 'reserved'],
	['192.0.2.0', 24, 'reserved'],
	['192.88.99.0', 24, 'reserved'],
	['192.168.0.0', 16, 'private'],
	['198.18.0.0', 15, 'reserved'],
	['198.51.100.0', 24, 'reserved'],
	['203.0.113.0', 24, 'reserved'],
	['224.0.0.0', 4, 'multicast'],
	['240.0.0.0', 4, 'reserved']
];

/** An IPv4 address as an unsigned 32-bit number. */
function ipv4ToNumber(address: string): number {
	return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** The class of a valid dotted IPv4 address. */
function classifyIPv4(address: string): AddressClass {
	const value = ipv4ToNumber(address);
	for (const [base, prefix, kind] of IPV4_RANGES) {
		const size = 2 ** (32 - prefix);
		const start = ipv4ToNumber(base);
		if (value >= start && value < start + size) return kind;
	}
	return 'public';
}

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped, embedded IPv4 expanded). */
function ipv6Groups(address: string): number[] {
	let text = address.replace(/%.*$/, '');
	const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (embedded) {
		const value = ipv4ToNumber(embedded[1]);
		const groups = `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
		text = `${text.slice(0, embedded.index)}${groups}`;
	}
	const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
	const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
	const headGroups = parse(head);
	if (tail === undefined) return headGroups;
	const tailGroups = parse(tail);
	const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
	return [...headGroups, ...zeros, ...tailGroups];
}

/** The IPv4 address held in two 16-bit groups. */
function ipv4From(high: number, low: number): string {
	return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The class of a valid IPv6 address. An IPv4 address embedded by mapping, NAT64 or 6to4 is
 * classified as that IPv4 address, since that is what the connection reaches.
 */
function classifyIPv6(address: string): AddressClass {
	const g = ipv6Groups(address);
	const zerosUpTo = (count: number) => g.slice(0, count).every((group) => group === 0);
	if (zerosUpTo(8)) return 'unspecified';
	if (zerosUpTo(7) && g[7] === 1) return 'loopback';
	// ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the embedded IPv4 address.
	if (zerosUpTo(5) && g[5] === 0xffff) return classifyIPv4(ipv4From(g[6], g[7]));
	if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) {
		return classifyIPv4(ipv4From(g[6], g[7]));
	}
	if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local';
	if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
	if ((g[0] & 0xffc0) === 0xfec0) return 'site-local';
	if ((g[0] & 0xff00) === 0xff00) return 'multicast';
	// 6to4 carries an IPv4 address in bits 16–47.
	if (g[0] === 0x2002) return classifyIPv4(ipv4From(g[1], g[2]));
	// 2001::/23 (IETF assignments, Teredo), 2001:db8::/32 and 3fff::/20 (documentation).
	if (g[0] === 0x2001 && (g[1] < 0x200 || g[1] === 0xdb8)) return 'reserved';
	if ((g[0] & 0xfff0) === 0x3ff0) return 'reserved';
	// Only 2000::/3 is global unicast; everything else (::/96, 100::/64, 64:ff9b:1::/48…) is special.
	return (g[0] & 0xe000) === 0x2000 ? 'public' : 'reserved';
}

/**
 * Classifies an IP address (IPv4, or IPv6 with or without brackets or a zone id). Anything other
 * than `public` must not be reached by a tool unless its host is allow-listed.
 */
export function classifyAddress(address: string): AddressClass {
	const bare = address.replace(/^\[(.*)\]$/, '$1');
	if (isIPv4(bare)) return classifyIPv4(bare);
	if (isIPv6(bare)) return classifyIPv6(bare);
	return 'invalid';
}
