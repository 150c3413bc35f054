import { describe, expect, it } from 'vitest';
import { groupSlotsByDay, isTimeZone } from './group-slots-by-day';

describe('groupSlotsByDay', () => {
	it('groups by the day in the given time zone, in time order', () => {
		const slots = [
			{ start: '2024-12-03T09:00:00Z', end: '2024-12-03T09:30:00Z' },
			// 23:30 UTC on the 2nd is already the 3rd in Paris.
			{ start: '2024-12-02T23:30:00Z', end: '2024-12-03T00:00:00Z' },
			{ start: '2024-12-04T13:00:00.000Z', end: '2024-12-04T13:30:00.000Z' }
		];
		const days = groupSlotsByDay(slots, 'Europe/Paris', 'en-GB');
		expect(days.map((day) => day.key)).toEqual(['2024-12-03', '2024-12-04']);
		expect(days[0]).toEqual({
			key: '2024-12-03',
			label: 'Tuesday 3 December',
			slots: [
				{ start: '2024-12-02T23:30:00Z', end: '2024-12-03T00:00:00Z', day: 'Tue 3 Dec', time: '00:30', label: 'Tue 3 Dec, 00:30' },
				{ start: '2024-12-03T09:00:00Z', end: '2024-12-03T09:30:00Z', day: 'Tue 3 Dec', time: '10:00', label: 'Tue 3 Dec, 10:00' }
			]
		});
		expect(days[1].slots.map((slot) => slot.label)).toEqual(['Wed 4 Dec, 14:00']);
	});

	it('puts the same instants on other days in another time zone', () => {
		const slots = [{ start: '2024-12-02T23:30:00Z', end: '2024-12-03T00:00:00Z' }];
		expect(groupSlotsByDay(slots, 'America/New_York', 'en-GB')[0].slots[0].label).toBe('Mon 2 Dec, 18:30');
	});

	it('leaves out slots that are not dates', () => {
		expect(groupSlotsByDay([{ start: 'soon', end: 'later' }], 'UTC', 'en-GB')).toEqual([]);
	});
});

describe('isTimeZone', () => {
	it('knows IANA names and refuses others', () => {
		expect(isTimeZone('Europe/Paris')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
	});
});
