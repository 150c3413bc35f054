/**
 * The built-in `current_time` tool: the current date and time in an IANA time zone.
 */

/** The time zone used when the caller does not name one. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** What the current-time tool returns. */
export type CurrentTimeResult = {
	/** The IANA time zone, as Intl canonicalizes it (e.g. "asia/tokyo" → "Asia/Tokyo"). */
	timezone: string;
	/** The instant in UTC, ISO 8601 (e.g. "2024-07-01T12:00:00.000Z"). */
	iso: string;
	/** The wall-clock time in the zone, "YYYY-MM-DD HH:mm:ss", 24-hour. */
	local: string;
	/** The English weekday name in the zone, e.g. "Monday". */
	weekday: string;
};

/** Creates a formatter for `timeZone`, or throws a clear error if the zone is unknown. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
	try {
		return new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			weekday: 'long'
		});
	} catch (error) {
		if (error instanceof RangeError) {
			throw new Error(`Unknown time zone "${timeZone}". Use an IANA name such as "Europe/Paris".`, {
				cause: error
			});
		}
		throw error;
	}
}

/** Reads the formatted parts of `date` into a lookup by part type. */
function partsOf(formatter: Intl.DateTimeFormat, date: Date): Map<string, string> {
	return new Map(formatter.formatToParts(date).map((part) => [part.type, part.value]));
}

/** Assembles "YYYY-MM-DD HH:mm:ss" from formatted parts. */
function wallClock(parts: Map<string, string>): string {
	const field = (type: string) => parts.get(type) ?? '';
	const year = field('year').padStart(4, '0');
	return `${year}-${field('month')}-${field('day')} ${field('hour')}:${field('minute')}:${field('second')}`;
}

/**
 * The current time in `input.timezone` (default "UTC"), or at `now` when given.
 * @throws {Error} `Unknown time zone "X". Use an IANA name such as "Europe/Paris".`
 */
export function currentTime(input: { timezone?: string }, now: Date = new Date()): CurrentTimeResult {
	const requested = input.timezone?.trim() || DEFAULT_TIME_ZONE;
	const formatter = formatterFor(requested);
	const parts = partsOf(formatter, now);
	return {
		timezone: formatter.resolvedOptions().timeZone,
		iso: now.toISOString(),
		local: wallClock(parts),
		weekday: parts.get('weekday') ?? ''
	};
}
