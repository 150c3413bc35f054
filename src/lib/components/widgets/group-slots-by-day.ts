/** A free slot as the picker shows it. */
export interface SlotView {
	start: string;
	end: string;
	/** The day, short: "Tue 3 Dec". */
	day: string;
	/** The start time in the picker's time zone: "10:00". */
	time: string;
	/** The day and time for people, as the answer's text: "Tue 3 Dec, 10:00". */
	label: string;
}

/** The free slots of one day in the picker's time zone. */
export interface SlotDay {
	/** The day in that time zone: "2024-12-03". */
	key: string;
	/** The day for people: "Tuesday 3 December". */
	label: string;
	slots: SlotView[];
}

/** Whether the runtime knows an IANA time zone name. */
export function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/**
 * Groups slots by their day in `timeZone`, days and slots in time order; slots whose start is not
 * a date are left out. `locale` defaults to the reader's.
 */
export function groupSlotsByDay(slots: { start: string; end: string }[], timeZone: string, locale?: string): SlotDay[] {
	const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
	const dayLabel = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long' });
	const shortDay = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
	const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' });
	const days = new Map<string, SlotDay>();
	const timed = slots
		.map((slot) => ({ slot, at: Date.parse(slot.start) }))
		.filter(({ at }) => Number.isFinite(at))
		.sort((a, b) => a.at - b.at);
	for (const { slot, at } of timed) {
		const key = dayKey.format(at);
		let day = days.get(key);
		if (!day) {
			day = { key, label: dayLabel.format(at), slots: [] };
			days.set(key, day);
		}
		const view = { day: shortDay.format(at), time: time.format(at) };
		day.slots.push({ start: slot.start, end: slot.end, ...view, label: `${view.day}, ${view.time}` });
	}
	return [...days.values()];
}
