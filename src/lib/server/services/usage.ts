import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { agents, messages, tasks } from '../db/schema';

/** Tokens and runs over some stretch. */
export interface UsageCounts {
	inputTokens: number;
	outputTokens: number;
	/** Assistant messages written. */
	runs: number;
}

/** The usage of one agent on one day (UTC). */
export interface UsageRow extends UsageCounts {
	/** `YYYY-MM-DD`, UTC. */
	day: string;
	agentSlug: string;
	agentName: string;
}

/** Usage of the last days: by agent and day, and summed by agent, by day and overall. */
export interface UsageReport {
	/** Every day of the window, oldest first, `YYYY-MM-DD` (UTC), including days without use. */
	days: string[];
	rows: UsageRow[];
	byAgent: (UsageCounts & { agentSlug: string; agentName: string })[];
	byDay: (UsageCounts & { day: string })[];
	total: UsageCounts;
}

const zero = (): UsageCounts => ({ inputTokens: 0, outputTokens: 0, runs: 0 });

function add(into: UsageCounts, from: UsageCounts): void {
	into.inputTokens += from.inputTokens;
	into.outputTokens += from.outputTokens;
	into.runs += from.runs;
}

/** `YYYY-MM-DD` of a moment, in UTC (as SQLite's `date(…, 'unixepoch')` gives it). */
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * Tokens and runs (assistant messages) per agent and per UTC day over the last `days` days,
 * today included, summed in SQL.
 */
export async function usageReport(db: Db, options: { days?: number; now?: Date } = {}): Promise<UsageReport> {
	const dayCount = Math.min(Math.max(options.days ?? 30, 1), 366);
	const now = options.now ?? new Date();
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	const start = today - (dayCount - 1) * 86_400_000;
	const days = Array.from({ length: dayCount }, (_, index) => utcDay(start + index * 86_400_000));

	const day = sql<string>`date(${messages.createdAt} / 1000, 'unixepoch')`;
	const rows = await db
		.select({
			day,
			agentSlug: agents.slug,
			agentName: agents.name,
			inputTokens: sql<number>`coalesce(sum(${messages.inputTokens}), 0)`,
			outputTokens: sql<number>`coalesce(sum(${messages.outputTokens}), 0)`,
			runs: sql<number>`count(*)`
		})
		.from(messages)
		.innerJoin(tasks, eq(tasks.id, messages.taskId))
		.innerJoin(agents, eq(agents.id, tasks.agentId))
		.where(and(eq(messages.role, 'assistant'), gte(messages.createdAt, new Date(start))))
		.groupBy(agents.id, day)
		.orderBy(day, agents.name);

	const usage: UsageRow[] = rows.map((row) => ({
		...row,
		inputTokens: Number(row.inputTokens),
		outputTokens: Number(row.outputTokens),
		runs: Number(row.runs)
	}));
	const byAgent = new Map<string, UsageCounts & { agentSlug: string; agentName: string }>();
	const byDay = new Map(days.map((name) => [name, { day: name, ...zero() }]));
	const total = zero();
	for (const row of usage) {
		const agent = byAgent.get(row.agentSlug) ?? { agentSlug: row.agentSlug, agentName: row.agentName, ...zero() };
		add(agent, row);
		byAgent.set(row.agentSlug, agent);
		const dayTotals = byDay.get(row.day);
		if (dayTotals) add(dayTotals, row);
		add(total, row);
	}
	return {
		days,
		rows: usage,
		byAgent: [...byAgent.values()].sort((a, b) => b.runs - a.runs || a.agentName.localeCompare(b.agentName)),
		byDay: [...byDay.values()],
		total
	};
}
