import { z } from 'zod';
import { defineAgent, type AppointmentPickerWidgetData } from '$lib/server/code-agents';

/** The task's context: the time zone the appointments are in. */
const Context = z.object({
	timeZone: z
		.string()
		.refine(isTimeZone, { message: 'must be an IANA time zone such as "Europe/Paris"' })
		.default('UTC')
		.describe('IANA time zone the free times are shown in.')
});

/** The times of day offered, as hours and minutes. */
const OPENING_TIMES = [
	[9, 0],
	[10, 30],
	[14, 0],
	[16, 0]
] as const;
const DURATION_MINUTES = 30;
/** How many working days ahead free times are offered. */
const DAYS_OFFERED = 3;

function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

/** The calendar fields of an instant in a time zone. */
function fieldsIn(instant: number, timeZone: string) {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		weekday: 'short'
	}).formatToParts(instant);
	const field = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
	return {
		year: Number(field('year')),
		month: Number(field('month')),
		day: Number(field('day')),
		hour: Number(field('hour')),
		minute: Number(field('minute')),
		weekday: field('weekday')
	};
}

/** The instant a wall-clock time in a time zone stands for. */
function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
	const wall = Date.UTC(year, month - 1, day, hour, minute);
	const seen = fieldsIn(wall, timeZone);
	const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - wall;
	return wall - offset;
}

/** The free times of the next working days after `now`, in a time zone. */
export function freeSlots(now: Date, timeZone: string): AppointmentPickerWidgetData['slots'] {
	const slots: AppointmentPickerWidgetData['slots'] = [];
	const today = fieldsIn(now.getTime(), timeZone);
	for (let offset = 1; slots.length < DAYS_OFFERED * OPENING_TIMES.length && offset < 14; offset++) {
		// Noon of the day in UTC is the same calendar day nearly everywhere; the zone then gives its fields.
		const day = fieldsIn(Date.UTC(today.year, today.month - 1, today.day + offset, 12), 'UTC');
		if (day.weekday === 'Sat' || day.weekday === 'Sun') continue;
		for (const [hour, minute] of OPENING_TIMES) {
			const start = zonedInstant(day.year, day.month, day.day, hour, minute, timeZone);
			slots.push({
				start: new Date(start).toISOString(),
				end: new Date(start + DURATION_MINUTES * 60_000).toISOString()
			});
		}
	}
	return slots;
}

/** A short, stable booking reference. */
function bookingReference(taskId: string, start: string): string {
	let hash = 7;
	for (const character of `${taskId}\n${start}`) hash = (hash * 33 + character.codePointAt(0)!) >>> 0;
	return `APT-${hash.toString(36).toUpperCase().padStart(6, '0').slice(0, 6)}`;
}

const chosenSlot = z.object({ start: z.iso.datetime(), end: z.iso.datetime() });

/**
 * Books appointments: asked for one, it shows the free times of the next working days in a
 * picker; the time chosen there comes back as the next message and is confirmed.
 */
export default defineAgent({
	name: 'Appointments',
	description: 'Books a 30-minute appointment: say “book an appointment” and pick a free time.',
	visibility: 'public',
	systemPrompt: 'You book 30-minute appointments. When someone wants one, tell them to say "book an appointment" to see the free times.',
	Context,
	async respond({ task, context, messages, input, submission, stream, displayWidget, callModel }) {
		const timeZone = context.timeZone;
		if (submission?.type === 'appointment_picker') {
			const chosen = chosenSlot.safeParse(submission.value);
			const offered = messages
				.flatMap((message) => message.parts)
				.find((part) => part.type === 'data-widget' && 'id' in part && part.id === submission.widgetId);
			const slots = (offered as { data?: { data?: AppointmentPickerWidgetData } } | undefined)?.data?.data?.slots ?? [];
			if (!chosen.success || !slots.some((slot) => slot.start === chosen.data.start)) {
				stream.write('That time is not one I offered. Here are the free times again:');
				displayWidget('appointment_picker', picker(timeZone));
				return;
			}
			const when = new Intl.DateTimeFormat('en-GB', {
				timeZone,
				weekday: 'long',
				day: 'numeric',
				month: 'long',
				hour: '2-digit',
				minute: '2-digit'
			}).format(new Date(chosen.data.start));
			stream.write(
				`Your appointment is booked for ${when} (${timeZone}), ${DURATION_MINUTES} minutes. ` +
					`Your reference is ${bookingReference(task.id, chosen.data.start)}.`
			);
			return;
		}
		if (/\b(book|booking|appointment|schedule|slot|free times?|available)\b/i.test(input)) {
			stream.write('Here are the next free times. Pick the one that suits you:');
			displayWidget('appointment_picker', picker(timeZone));
			return;
		}
		return callModel();
	}
});

/** The picker's data for the free times from now on. */
function picker(timeZone: string): AppointmentPickerWidgetData {
	return { title: 'Free times', timeZone, durationMinutes: DURATION_MINUTES, slots: freeSlots(new Date(), timeZone) };
}
