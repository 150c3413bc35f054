/** The date groups of the chat sidebar, newest first. */
export const dateGroups = ['Today', 'Yesterday', 'Previous 7 days', 'Older'] as const;
export type DateGroup = (typeof dateGroups)[number];

/**
 * The group of a time (ms since the epoch) as seen `now`, by calendar days in the local time zone
 * (a day after a daylight-saving change is still one day). A time after `now` (another clock) is today.
 */
export function dateGroupOf(time: number, now: Date): DateGroup {
	const day = (offset: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() - offset).getTime();
	if (time >= day(0)) return 'Today';
	if (time >= day(1)) return 'Yesterday';
	if (time >= day(7)) return 'Previous 7 days';
	return 'Older';
}

/** Items (newest first) cut into their date groups, in order, leaving out empty groups. */
export function groupByDate<T extends { updatedAt: number }>(items: T[], now: Date): { label: DateGroup; items: T[] }[] {
	const groups = new Map<DateGroup, T[]>();
	for (const item of items) {
		const label = dateGroupOf(item.updatedAt, now);
		const group = groups.get(label);
		if (group) group.push(item);
		else groups.set(label, [item]);
	}
	return dateGroups.flatMap((label) => {
		const found = groups.get(label);
		return found ? [{ label, items: found }] : [];
	});
}
