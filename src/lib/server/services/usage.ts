import { and, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { agents, messages, tasks } from '../db/schema';
import { noTokenCounts, plusCount, type TokenCounts } from '../../usage/token-counts';

/**
 * Tokens and runs over some stretch. A token count is `null` when no answer in it reported that
 * count (a model that does not say, or no answers at all), as opposed to a reported 0.
 */
export interface UsageCounts extends TokenCounts {
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

/** The usage of one model (`provider:model`, as stored on the answers; `null` when none was stored). */
export interface ModelUsage extends UsageCounts {
	model: string | null;
}

/** Usage of the last days: by agent and day, and summed by agent, by model, by day and overall. */
export interface UsageReport {
	/** Every day of the window, oldest first, `YYYY-MM-DD` (UTC), including days without use. */
	days: string[];
	rows: UsageRow[];
	byAgent: (UsageCounts & { agentSlug: string; agentName: string })[];
	byModel: ModelUsage[];
	byDay: (UsageCounts & { day: string })[];
	total: UsageCounts;
}

const tokenKeys = ['inputTokens', 'outputTokens', 'reasoningTokens', 'cachedInputTokens'] as const;

const zero = (): UsageCounts => ({ ...noTokenCounts(), runs: 0 });

function add(into: UsageCounts, from: UsageCounts): void {
	for (const key of tokenKeys) into[key] = plusCount(into[key], from[key]);
	into.runs += from.runs;
}

/** A count read from SQL: `null` (nothing reported) stays `null`. */
const count = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** The sums of each count over a group of assistant messages; `sum` is NULL when every row is. */
const sums = {
	inputTokens: sql<number | null>`sum(${messages.inputTokens})`,
	outputTokens: sql<number | null>`sum(${messages.outputTokens})`,
	reasoningTokens: sql<number | null>`sum(${messages.reasoningTokens})`,
	cachedInputTokens: sql<number | null>`sum(${messages.cachedInputTokens})`,
	runs: sql<number>`count(*)`
};

function countsOf(row: Record<keyof UsageCounts, unknown>): UsageCounts {
	return {
		inputTokens: count(row.inputTokens),
		outputTokens: count(row.outputTokens),
		reasoningTokens: count(row.reasoningTokens),
		cachedInputTokens: count(row.cachedInputTokens),
		runs: Number(row.runs)
	};
}

/** `YYYY-MM-DD` of a moment, in UTC (as SQLite's `date(…, 'unixepoch')` gives it). */
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * Tokens (input, cached input, output, reasoning) and runs (assistant messages) per agent and
 * UTC day, and per model, over the last `days` days, today included, summed in SQL.
 */
export async function usageReport(db: Db, options: { days?: number; now?: Date } = {}): Promise<UsageReport> {
	const dayCount = Math.min(Math.max(options.days ?? 30, 1), 366);
	const now = options.now ?? new Date();
	const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	const start = today - (dayCount - 1) * 86_400_000;
	const days = Array.from({ length: dayCount }, (_, index) => utcDay(start + index * 86_400_000));

	const day = sql<string>`date(${messages.createdAt} / 1000, 'unixepoch')`;
	const answers: SQL | undefined = and(eq(messages.role, 'assistant'), gte(messages.createdAt, new Date(start)));
	const [rows, models] = await Promise.all([
		db
			.select({ day, agentSlug: agents.slug, agentName: agents.name, ...sums })
			.from(messages)
			.innerJoin(tasks, eq(tasks.id, messages.taskId))
			.innerJoin(agents, eq(agents.id, tasks.agentId))
			.where(answers)
			.groupBy(agents.id, day)
			.orderBy(day, agents.name),
		db
			.select({ model: messages.model, ...sums })
			.from(messages)
			.where(answers)
			.groupBy(messages.model)
	]);

	const usage: UsageRow[] = rows.map((row) => ({
		day: row.day,
		agentSlug: row.agentSlug,
		agentName: row.agentName,
		...countsOf(row)
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
	const byModel: ModelUsage[] = models
		.map((row) => ({ model: row.model, ...countsOf(row) }))
		// Most used first; answers without a model last.
		.sort((a, b) => Number(a.model === null) - Number(b.model === null) || b.runs - a.runs || (a.model ?? '').localeCompare(b.model ?? ''));
	return {
		days,
		rows: usage,
		byAgent: [...byAgent.values()].sort((a, b) => b.runs - a.runs || a.agentName.localeCompare(b.agentName)),
		byModel,
		byDay: [...byDay.values()],
		total
	};
}
