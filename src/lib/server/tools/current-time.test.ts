import { describe, it, expect } from 'vitest';
import { currentTime, DEFAULT_TIME_ZONE } from './current-time';

const SUMMER = new Date('2024-07-01T12:34:56.789Z'); // a Monday; New York on EDT (UTC-4)
const WINTER = new Date('2024-01-15T03:04:05.000Z'); // a Monday; New York on EST (UTC-5)

describe('currentTime', () => {
	it('defaults to UTC', () => {
		expect(DEFAULT_TIME_ZONE).toBe('UTC');
		expect(currentTime({}, SUMMER)).toEqual({
			timezone: 'UTC',
			iso: '2024-07-01T12:34:56.789Z',
			local: '2024-07-01 12:34:56',
			weekday: 'Monday'
		});
	});

	it('treats a blank time zone as UTC', () => {
		expect(currentTime({ timezone: '  ' }, SUMMER).timezone).toBe('UTC');
	});

	it('uses the real current time when no `now` is given', () => {
		const before = Date.now();
		const result = currentTime({});
		const after = Date.now();
		const at = Date.parse(result.iso);
		expect(at).toBeGreaterThanOrEqual(before);
		expect(at).toBeLessThanOrEqual(after);
		expect(result.local).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	});

	it('gives the wall-clock time and weekday in Asia/Tokyo', () => {
		expect(currentTime({ timezone: 'Asia/Tokyo' }, SUMMER)).toEqual({
			timezone: 'Asia/Tokyo',
			iso: '2024-07-01T12:34:56.789Z',
			local: '2024-07-01 21:34:56',
			weekday: 'Monday'
		});
	});

	it('crosses the date line into the next day', () => {
		const lateUtc = new Date('2024-07-01T20:00:00Z');
		expect(currentTime({ timezone: 'Asia/Tokyo' }, lateUtc)).toMatchObject({
			local: '2024-07-02 05:00:00',
			weekday: 'Tuesday'
		});
	});

	it('follows daylight saving time in America/New_York', () => {
		expect(currentTime({ timezone: 'America/New_York' }, SUMMER)).toEqual({
			timezone: 'America/New_York',
			iso: '2024-07-01T12:34:56.789Z',
			local: '2024-07-01 08:34:56',
			weekday: 'Monday'
		});
		expect(currentTime({ timezone: 'America/New_York' }, WINTER)).toEqual({
			timezone: 'America/New_York',
			iso: '2024-01-15T03:04:05.000Z',
			local: '2024-01-14 22:04:05',
			weekday: 'Sunday'
		});
	});

	it('changes offset exactly at the spring-forward instant', () => {
		// 2024-03-10 02:00 EST (07:00Z) jumps to 03:00 EDT.
		const zone = { timezone: 'America/New_York' };
		expect(currentTime(zone, new Date('2024-03-10T06:59:59Z')).local).toBe('2024-03-10 01:59:59');
		expect(currentTime(zone, new Date('2024-03-10T07:00:00Z')).local).toBe('2024-03-10 03:00:00');
	});

	it('writes midnight as 00, never 24', () => {
		expect(currentTime({ timezone: 'UTC' }, new Date('2024-07-01T00:00:00Z')).local).toBe('2024-07-01 00:00:00');
	});

	it('canonicalizes the case of the zone name', () => {
		expect(currentTime({ timezone: 'asia/tokyo' }, SUMMER).timezone).toBe('Asia/Tokyo');
	});

	it('rejects an unknown time zone with a helpful message', () => {
		expect(() => currentTime({ timezone: 'Mars/Olympus_Mons' }, SUMMER)).toThrow(
			new Error('Unknown time zone "Mars/Olympus_Mons". Use an IANA name such as "Europe/Paris".')
		);
		expect(() => currentTime({ timezone: 'Paris' }, SUMMER)).toThrow('Unknown time zone "Paris". Use an IANA name such as "Europe/Paris".');
	});
});
