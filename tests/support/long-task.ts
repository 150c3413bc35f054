import { randomBytes } from 'node:crypto';
import { createClient, type InStatement } from '@libsql/client';

/** What {@link seedLongTask} needs: whose task, in which database, and how long. */
export interface LongTaskOptions {
	/** The running server's database, e.g. `file:/tmp/…/parley.db`. */
	databaseUrl: string;
	/** The owner, an account that already exists. */
	email: string;
	/** Question/answer pairs; 250 make a 500-message task. */
	pairs?: number;
	/** The agent's slug; the demo assistant by default. */
	agentSlug?: string;
}

/** The task written, and texts to find its first and newest messages by. */
export interface LongTask {
	taskId: string;
	messageCount: number;
	/** The first question's text. */
	firstQuestion: string;
	/** The newest answer's text (its first paragraph when it has several). */
	lastAnswer: string;
}

const PARAGRAPH =
	'Streams arrive in small pieces, and the page shows each one as it comes. A long conversation ' +
	'keeps every question and answer, so the list must stay quick to open and to scroll.';

/** A question, numbered so a test can find it. */
function question(pair: number, pairs: number): string {
	return `Question ${pair} of ${pairs}: what changes when a conversation grows this long?`;
}

/**
 * An answer, numbered like its question. Every third one has several paragraphs, every tenth a
 * short code block (which the chat page highlights on demand), so rows differ in height.
 */
function answer(pair: number, pairs: number): string {
	const first = `Answer ${pair} of ${pairs}: the history grows, and only what is in view needs drawing.`;
	const paragraphs = [first];
	if (pair % 3 === 0) paragraphs.push(PARAGRAPH, PARAGRAPH.split(', ').reverse().join(', '));
	if (pair % 10 === 0) paragraphs.push('```ts\nconst messages = await loadTask(id);\nconsole.log(messages.length);\n```');
	return paragraphs.join('\n\n');
}

/**
 * Writes a task with `pairs` question/answer pairs straight into a Parley database, owned by the
 * account with `email`, as the chat would have stored them: positions from 0, each message after
 * the one before it (the last the task's end, set by the database), AI SDK UI message parts,
 * status `complete`. Much faster than asking the chat API for every answer.
 */
export async function seedLongTask({ databaseUrl, email, pairs = 250, agentSlug = 'assistant' }: LongTaskOptions): Promise<LongTask> {
	const client = createClient({ url: databaseUrl });
	try {
		// The server holds the same file open; wait for its lock rather than fail.
		await client.execute('PRAGMA busy_timeout = 5000');
		const user = await client.execute({ sql: 'SELECT id FROM users WHERE email = ?', args: [email.toLowerCase()] });
		if (user.rows.length === 0) throw new Error(`No account with the email ${email}`);
		const agent = await client.execute({ sql: 'SELECT id FROM agents WHERE slug = ?', args: [agentSlug] });
		if (agent.rows.length === 0) throw new Error(`No agent with the slug ${agentSlug}`);

		const taskId = `long-${randomBytes(8).toString('hex')}`;
		// Spaced a second apart, oldest first, ending now.
		const now = Date.now();
		const at = (position: number) => now - (2 * pairs - position) * 1000;
		const statements: InStatement[] = [
			{
				sql: `INSERT INTO tasks (id, agent_id, user_id, title, status, driver, created_at, updated_at)
					VALUES (?, ?, ?, ?, 'active', 'auto', ?, ?)`,
				args: [taskId, agent.rows[0].id, user.rows[0].id, `A long task (${2 * pairs} messages)`, at(0), now]
			}
		];
		for (let pair = 1; pair <= pairs; pair++) {
			for (const role of ['user', 'assistant'] as const) {
				const position = 2 * (pair - 1) + (role === 'user' ? 0 : 1);
				const text = role === 'user' ? question(pair, pairs) : answer(pair, pairs);
				statements.push({
					sql: `INSERT INTO messages (id, task_id, position, parent_id, role, kind, parts, status, model, created_at, updated_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?)`,
					args: [
						`${taskId}-${position}`,
						taskId,
						position,
						position === 0 ? null : `${taskId}-${position - 1}`,
						role,
						role === 'user' ? 'user' : 'agent',
						JSON.stringify([{ type: 'text', text }]),
						role === 'user' ? null : 'mock:offline',
						at(position),
						at(position)
					]
				});
			}
		}
		await client.batch(statements, 'write');
		return {
			taskId,
			messageCount: 2 * pairs,
			firstQuestion: question(1, pairs),
			lastAnswer: answer(pairs, pairs).split('\n\n')[0]
		};
	} finally {
		client.close();
	}
}
