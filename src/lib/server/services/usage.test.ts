import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, messages, tasks, users, type NewMessage } from '../db/schema';
import { usageReport } from './usage';

let temp: TempDb;
const now = new Date('2025-03-10T15:00:00Z');
const at = (iso: string) => new Date(iso);

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	await temp.db.insert(users).values({ id: 'alice', email: 'alice@example.com', passwordHash: 'x' });
	const [{ id: assistantId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'assistant'));
	const [{ id: toolDemoId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'tool-demo'));
	await temp.db.insert(tasks).values([
		{ id: 'ta', agentId: assistantId, userId: 'alice' },
		{ id: 'tt', agentId: toolDemoId, userId: 'alice' }
	]);
	let position = 0;
	const message = (
		taskId: string,
		role: 'user' | 'assistant',
		createdAt: Date,
		input?: number,
		output?: number,
		extra: Partial<NewMessage> = {}
	): NewMessage => ({
		id: `m${position}`,
		taskId,
		position: position++,
		role,
		kind: role === 'user' ? 'user' : 'agent',
		parts: [],
		model: role === 'assistant' ? 'mock:offline' : null,
		inputTokens: input ?? null,
		outputTokens: output ?? null,
		createdAt,
		...extra
	});
	await temp.db.insert(messages).values([
		message('ta', 'user', at('2025-03-10T09:00:00Z')),
		// A model that reports cached input and reasoning.
		message('ta', 'assistant', at('2025-03-10T09:00:01Z'), 100, 20, {
			model: 'openai:o4-mini',
			cachedInputTokens: 60,
			reasoningTokens: 12
		}),
		message('ta', 'assistant', at('2025-03-10T23:59:59Z'), 50, 10, {
			model: 'openai:o4-mini',
			cachedInputTokens: 0,
			reasoningTokens: 5
		}),
		message('ta', 'assistant', at('2025-03-09T00:00:00Z'), 7, 3),
		message('tt', 'assistant', at('2025-03-09T12:00:00Z'), 40, 4),
		// No usage recorded (an interrupted answer) still counts as a run.
		message('tt', 'assistant', at('2025-03-09T13:00:00Z'), undefined, undefined, { model: null }),
		// Outside the 30-day window.
		message('ta', 'assistant', at('2025-02-08T23:59:59Z'), 1000, 1000, { cachedInputTokens: 900, reasoningTokens: 900 })
	]);
});

afterEach(() => temp.cleanup());

describe('usageReport', () => {
	it('sums tokens and runs per agent and UTC day over the last 30 days', async () => {
		const report = await usageReport(temp.db, { now });
		expect(report.days).toHaveLength(30);
		expect(report.days[0]).toBe('2025-02-09');
		expect(report.days.at(-1)).toBe('2025-03-10');
		expect(report.rows.map((row) => [row.day, row.agentSlug, row.inputTokens, row.outputTokens, row.runs])).toEqual([
			['2025-03-09', 'assistant', 7, 3, 1],
			['2025-03-09', 'tool-demo', 40, 4, 2],
			['2025-03-10', 'assistant', 150, 30, 2]
		]);
		expect(report.byAgent.map((agent) => [agent.agentSlug, agent.inputTokens, agent.outputTokens, agent.runs])).toEqual([
			['assistant', 157, 33, 3],
			['tool-demo', 40, 4, 2]
		]);
		expect(report.byDay).toHaveLength(30);
		expect(report.byDay.at(-1)).toEqual({
			day: '2025-03-10',
			inputTokens: 150,
			outputTokens: 30,
			reasoningTokens: 17,
			cachedInputTokens: 60,
			runs: 2
		});
		expect(report.total).toEqual({ inputTokens: 197, outputTokens: 37, reasoningTokens: 17, cachedInputTokens: 60, runs: 5 });
	});

	it('sums reasoning and cached input tokens, unknown (null) where no answer reported them', async () => {
		const report = await usageReport(temp.db, { now });
		expect(report.rows.map((row) => [row.day, row.agentSlug, row.cachedInputTokens, row.reasoningTokens])).toEqual([
			['2025-03-09', 'assistant', null, null],
			['2025-03-09', 'tool-demo', null, null],
			['2025-03-10', 'assistant', 60, 17]
		]);
		expect(report.byAgent.map((agent) => [agent.agentSlug, agent.cachedInputTokens, agent.reasoningTokens])).toEqual([
			['assistant', 60, 17],
			['tool-demo', null, null]
		]);
		// A day without answers knows no counts at all.
		expect(report.byDay[0]).toEqual({
			day: '2025-02-09',
			inputTokens: null,
			outputTokens: null,
			reasoningTokens: null,
			cachedInputTokens: null,
			runs: 0
		});
	});

	it('sums per model, most used first and answers without a model last', async () => {
		const report = await usageReport(temp.db, { now });
		expect(report.byModel).toEqual([
			{ model: 'mock:offline', inputTokens: 47, outputTokens: 7, reasoningTokens: null, cachedInputTokens: null, runs: 2 },
			{ model: 'openai:o4-mini', inputTokens: 150, outputTokens: 30, reasoningTokens: 17, cachedInputTokens: 60, runs: 2 },
			{ model: null, inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, runs: 1 }
		]);
	});

	it('is empty but complete when nothing ran', async () => {
		const report = await usageReport(temp.db, { now: new Date('2030-01-01T00:00:00Z'), days: 7 });
		expect(report.rows).toEqual([]);
		expect(report.byModel).toEqual([]);
		expect(report.byDay.map((day) => day.day)).toEqual([
			'2029-12-26',
			'2029-12-27',
			'2029-12-28',
			'2029-12-29',
			'2029-12-30',
			'2029-12-31',
			'2030-01-01'
		]);
		expect(report.total).toEqual({ inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null, runs: 0 });
	});
});
