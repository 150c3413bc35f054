import { eq } from 'drizzle-orm';
import type { Db } from '.';
import { OFFLINE_MODEL_ID } from '../models/catalog';
import { agents, agentTools, appMeta, tools } from './schema';

const SEEDED_KEY = 'demo_seeded_at';

/** The built-in tools every installation starts with (`http_request` is not given to any demo agent). */
export const demoTools = [
	{
		name: 'calculator',
		description: 'Evaluates an arithmetic expression such as "2 * (3 + 4)" and returns the number.',
		kind: 'builtin' as const,
		inputSchema: {
			type: 'object',
			properties: {
				expression: { type: 'string', description: 'The arithmetic expression to evaluate.' }
			},
			required: ['expression'],
			additionalProperties: false
		}
	},
	{
		name: 'current_time',
		description: 'Returns the current date and time in a time zone.',
		kind: 'builtin' as const,
		inputSchema: {
			type: 'object',
			properties: {
				timezone: {
					type: 'string',
					description: 'An IANA time zone such as "Europe/Paris".',
					default: 'UTC'
				}
			},
			additionalProperties: false
		}
	},
	{
		name: 'http_request',
		description:
			'Sends an HTTP request to a public http(s) URL and returns the status, content type and body (JSON or text, at most 1 MB). Private and local addresses are refused.',
		kind: 'builtin' as const,
		inputSchema: {
			type: 'object',
			properties: {
				url: { type: 'string', format: 'uri', description: 'The http(s) URL to request.' },
				method: {
					type: 'string',
					enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
					default: 'GET',
					description: 'The HTTP method.'
				},
				headers: {
					type: 'object',
					additionalProperties: { type: 'string' },
					description: 'Request headers, by name.'
				},
				body: { type: 'string', description: 'The request body, e.g. JSON text.' }
			},
			required: ['url'],
			additionalProperties: false
		}
	}
];

/** The agents every installation starts with, all on the offline model. */
export const demoAgents = [
	{
		slug: 'assistant',
		name: 'Assistant',
		description: 'A general assistant. The default agent.',
		systemPrompt: 'You are Parley, a helpful assistant. Answer clearly and concisely.',
		tools: [] as string[]
	},
	{
		slug: 'tool-demo',
		name: 'Tool demo',
		description: 'Shows tool calls: ask it to use the calculator or the current time.',
		systemPrompt:
			'You are a helpful assistant with tools. Use the calculator for arithmetic and current_time for the date and time.',
		tools: ['calculator', 'current_time']
	}
];

/**
 * Seeds the demo tools and agents once per installation. Later starts leave them alone, so an
 * admin who deletes or edits them keeps their changes.
 */
export async function seedDemoData(db: Db): Promise<void> {
	const seeded = await db.select().from(appMeta).where(eq(appMeta.key, SEEDED_KEY));
	if (seeded.length > 0) return;
	for (const tool of demoTools) {
		await db.insert(tools).values(tool).onConflictDoNothing({ target: tools.name });
	}
	for (const agent of demoAgents) {
		const { tools: toolNames, ...fields } = agent;
		await db
			.insert(agents)
			.values({ ...fields, model: OFFLINE_MODEL_ID })
			.onConflictDoNothing({ target: agents.slug });
		const [row] = await db.select({ id: agents.id }).from(agents).where(eq(agents.slug, agent.slug));
		for (const [position, name] of toolNames.entries()) {
			const [tool] = await db.select({ id: tools.id }).from(tools).where(eq(tools.name, name));
			await db.insert(agentTools).values({ agentId: row.id, toolId: tool.id, position }).onConflictDoNothing();
		}
	}
	await db
		.insert(appMeta)
		.values({ key: SEEDED_KEY, value: new Date().toISOString() })
		.onConflictDoNothing();
}
