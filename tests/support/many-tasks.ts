import { randomBytes } from 'node:crypto';
import { createClient, type InStatement } from '@libsql/client';

/** What {@link seedTasks} writes: whose tasks, in which database, how many and how far apart. */
export interface ManyTasksOptions {
	/** The running server's database, e.g. `file:/tmp/…/parley.db`. */
	databaseUrl: string;
	/** The owner, an account that already exists. */
	email: string;
	count: number;
	/** Time between one task's last change and the next older one's (an hour by default). */
	spacingMs?: number;
	/** Every n-th task is a playground task (none by default). */
	playgroundEvery?: number;
}

/**
 * Writes `count` tasks, each with one question, straight into a Parley database for the account
 * with `email`: the newest changed now, each next one `spacingMs` older, titled "Chat N about
 * tides, rivers and lighthouses" (N = 1 for the newest). Much faster than the chat API.
 */
export async function seedTasks({
	databaseUrl,
	email,
	count,
	spacingMs = 60 * 60 * 1000,
	playgroundEvery
}: ManyTasksOptions): Promise<void> {
	const client = createClient({ url: databaseUrl });
	try {
		// The server holds the same file open; wait for its lock rather than fail.
		await client.execute('PRAGMA busy_timeout = 5000');
		const user = await client.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: [email.toLowerCase()] });
		if (user.rows.length === 0) throw new Error(`No account with the email ${email}`);
		const agent = await client.execute("SELECT id FROM agents WHERE slug = 'assistant'");
		const now = Date.now();
		const statements: InStatement[] = [];
		for (let index = 0; index < count; index++) {
			const id = `seeded-${randomBytes(8).toString('hex')}`;
			const at = now - index * spacingMs;
			const title = `Chat ${index + 1} about tides, rivers and lighthouses`;
			const playground = playgroundEvery !== undefined && index % playgroundEvery === playgroundEvery - 1 ? 1 : 0;
			statements.push(
				{
					sql: `INSERT INTO tasks (id, agent_id, user_id, title, status, driver, playground, created_at, updated_at)
						VALUES (?, ?, ?, ?, 'active', 'auto', ?, ?, ?)`,
					args: [id, agent.rows[0].id, user.rows[0].id, title, playground, at, at]
				},
				{
					sql: `INSERT INTO messages (id, task_id, position, role, kind, parts, status, created_at, updated_at)
						VALUES (?, ?, 0, 'user', 'user', ?, 'complete', ?, ?)`,
					args: [`${id}-0`, id, JSON.stringify([{ type: 'text', text: title }]), at, at]
				}
			);
		}
		await client.batch(statements, 'write');
	} finally {
		client.close();
	}
}
