import { randomBytes } from 'node:crypto';
import { createClient, type InStatement } from '@libsql/client';

/** One answer of a {@link seedUsageTask} task, with the token counts stored beside it. */
export interface SeededAnswer {
	text: string;
	model: string;
	inputTokens: number | null;
	outputTokens: number | null;
	reasoningTokens: number | null;
	cachedInputTokens: number | null;
}

/** What {@link seedUsageTask} wrote. */
export interface UsageTask {
	taskId: string;
	agentSlug: string;
	agentName: string;
}

/**
 * Writes an agent of its own and a task of it owned by the account with `email` straight into a
 * Parley database: a question before each answer, the answers with the token counts given, as the
 * runtime would have stored them. The counts a model reports (reasoning, cached input) can then be
 * checked on the admin pages without a model that reports them.
 */
export async function seedUsageTask({
	databaseUrl,
	email,
	answers
}: {
	databaseUrl: string;
	email: string;
	answers: SeededAnswer[];
}): Promise<UsageTask> {
	const client = createClient({ url: databaseUrl });
	try {
		// The server holds the same file open; wait for its lock rather than fail.
		await client.execute('PRAGMA busy_timeout = 5000');
		const user = await client.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: [email.toLowerCase()] });
		if (user.rows.length === 0) throw new Error(`No account with the email ${email}`);
		const stamp = randomBytes(6).toString('hex');
		const agentSlug = `usage-${stamp}`;
		const agentName = `Usage check ${stamp}`;
		const taskId = `usage-${stamp}`;
		const now = Date.now();
		await client.execute({
			sql: `INSERT INTO agents (slug, name, model, visibility, created_at, updated_at) VALUES (?, ?, 'mock:offline', 'admins', ?, ?)`,
			args: [agentSlug, agentName, now, now]
		});
		const agent = await client.execute({ sql: 'SELECT id FROM agents WHERE slug = ?', args: [agentSlug] });
		const at = (position: number) => now - (2 * answers.length - position) * 1000;
		const statements: InStatement[] = [
			{
				sql: `INSERT INTO tasks (id, agent_id, user_id, title, status, driver, created_at, updated_at)
					VALUES (?, ?, ?, ?, 'active', 'auto', ?, ?)`,
				args: [taskId, agent.rows[0].id, user.rows[0].id, `Usage ${stamp}`, at(0), now]
			}
		];
		answers.forEach((answer, index) => {
			const question = 2 * index;
			const parent = index === 0 ? null : `${taskId}-${question - 1}`;
			statements.push(
				{
					sql: `INSERT INTO messages (id, task_id, position, parent_id, role, kind, parts, status, created_at, updated_at)
						VALUES (?, ?, ?, ?, 'user', 'user', ?, 'complete', ?, ?)`,
					args: [
						`${taskId}-${question}`,
						taskId,
						question,
						parent,
						JSON.stringify([{ type: 'text', text: `Question ${index + 1}` }]),
						at(question),
						at(question)
					]
				},
				{
					sql: `INSERT INTO messages (id, task_id, position, parent_id, role, kind, parts, status, model,
						input_tokens, output_tokens, reasoning_tokens, cached_input_tokens, created_at, updated_at)
						VALUES (?, ?, ?, ?, 'assistant', 'agent', ?, 'complete', ?, ?, ?, ?, ?, ?, ?)`,
					args: [
						`${taskId}-${question + 1}`,
						taskId,
						question + 1,
						`${taskId}-${question}`,
						JSON.stringify([{ type: 'text', text: answer.text }]),
						answer.model,
						answer.inputTokens,
						answer.outputTokens,
						answer.reasoningTokens,
						answer.cachedInputTokens,
						at(question + 1),
						at(question + 1)
					]
				}
			);
		});
		await client.batch(statements, 'write');
		return { taskId, agentSlug, agentName };
	} finally {
		client.close();
	}
}
