import { afterEach, describe, expect, it, vi } from 'vitest';
import { dateGroupOf, groupByDate } from './group-by-date';

// The process's time zone is set per test (Node reads TZ again whenever it changes), then restored.
afterEach(() => {
	vi.unstubAllEnvs();
});

/** A local time in the process's time zone. */
const at = (year: number, month: number, day: number, hour = 12, minute = 0) => new Date(year, month - 1, day, hour, minute).getTime();

describe('dateGroupOf', () => {
	const now = new Date(2026, 11, 6, 9, 30); // 6 December 2026, 09:30 local

	it('puts times since local midnight in Today, and times after now too', () => {
		expect(dateGroupOf(at(2026, 12, 6, 0, 0), now)).toBe('Today');
		expect(dateGroupOf(at(2026, 12, 6, 9, 29), now)).toBe('Today');
		expect(dateGroupOf(at(2026, 12, 7, 8), now)).toBe('Today');
	});

	it('puts the calendar day before in Yesterday, whatever the hour', () => {
		expect(dateGroupOf(at(2026, 12, 5, 23, 59), now)).toBe('Yesterday');
		expect(dateGroupOf(at(2026, 12, 5, 0, 0), now)).toBe('Yesterday');
		expect(dateGroupOf(at(2026, 12, 4, 23, 59), now)).toBe('Previous 7 days');
	});

	it('keeps the seven days before today in Previous 7 days, and the rest in Older', () => {
		expect(dateGroupOf(at(2026, 11, 29, 0, 0), now)).toBe('Previous 7 days');
		expect(dateGroupOf(at(2026, 11, 28, 23, 59), now)).toBe('Older');
		expect(dateGroupOf(at(2025, 1, 1), now)).toBe('Older');
	});

	it('counts days across a month and a year boundary', () => {
		const newYear = new Date(2027, 0, 1, 8);
		expect(dateGroupOf(at(2026, 12, 31, 22), newYear)).toBe('Yesterday');
		expect(dateGroupOf(at(2026, 12, 25, 1), newYear)).toBe('Previous 7 days');
	});
});

describe('dateGroupOf in the browser’s time zone', () => {
	it('uses local midnight, not UTC midnight', () => {
		vi.stubEnv('TZ', 'Asia/Tokyo');
		// 00:30 in Tokyo on 6 December is 15:30 UTC on 5 December.
		const now = new Date(Date.UTC(2026, 11, 5, 15, 30));
		// 23:00 UTC on 5 December is already 08:00 on 6 December in Tokyo.
		expect(dateGroupOf(Date.UTC(2026, 11, 5, 15, 10), now)).toBe('Today');
		expect(dateGroupOf(Date.UTC(2026, 11, 5, 14, 50), now)).toBe('Yesterday');
	});

	it('counts a day of 23 hours (a daylight-saving change) as one day', () => {
		vi.stubEnv('TZ', 'Europe/Berlin');
		// Clocks go forward on 29 March 2026 at 02:00 in Berlin.
		const now = new Date(2026, 2, 30, 0, 30);
		expect(dateGroupOf(new Date(2026, 2, 29, 0, 10).getTime(), now)).toBe('Yesterday');
		expect(dateGroupOf(new Date(2026, 2, 28, 23, 50).getTime(), now)).toBe('Previous 7 days');
	});
});

describe('groupByDate', () => {
	it('keeps the order of the items and leaves out empty groups', () => {
		const now = new Date(2026, 11, 6, 18);
		const items = [
			{ id: 'a', updatedAt: at(2026, 12, 6, 17) },
			{ id: 'b', updatedAt: at(2026, 12, 6, 8) },
			{ id: 'c', updatedAt: at(2026, 12, 2) },
			{ id: 'd', updatedAt: at(2026, 10, 1) }
		];
		expect(groupByDate(items, now).map((group) => [group.label, group.items.map((item) => item.id)])).toStrictEqual([
			['Today', ['a', 'b']],
			['Previous 7 days', ['c']],
			['Older', ['d']]
		]);
		expect(groupByDate([], now)).toStrictEqual([]);
	});
});
