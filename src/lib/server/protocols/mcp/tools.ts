import { z } from 'zod';

/** What a tool of `/mcp` is made from: an agent the caller may use. */
export interface AgentTool {
	slug: string;
	name: string;
	description: string;
	/** The JSON Schema a new task's context is checked against, if the agent has one. */
	contextSchema: Record<string, unknown> | null;
}

/** Every agent is the tool `ask_<slug>`. */
export const TOOL_PREFIX = 'ask_';

/** The longest tool name MCP clients accept. */
const TOOL_NAME_MAX = 128;

/** The longest message a caller may send, as on the other faces. */
export const MESSAGE_MAX = 100_000;

/** The longest task id a caller may send. */
export const TASK_ID_MAX = 128;

/**
 * The tool name of an agent: `ask_` and its slug, `-` kept; any character MCP does not allow in
 * a tool name (letters, digits, `_`, `-`, `.`) becomes `_`.
 */
export function toolNameOf(slug: string): string {
	return `${TOOL_PREFIX}${slug.replace(/[^A-Za-z0-9_.-]/g, '_')}`.slice(0, TOOL_NAME_MAX);
}

/** The tool's description: the agent's name and what it says about itself. */
export function toolDescriptionOf(agent: Pick<AgentTool, 'name' | 'description'>): string {
	const about = agent.description.trim();
	const lead = `Ask the agent "${agent.name}" and get its answer.`;
	const usage = 'Send task_id (from an earlier answer) to continue that conversation.';
	return [lead, about, usage].filter(Boolean).join(' ');
}

/** A tool's title: the agent's name. */
export function toolTitleOf(agent: Pick<AgentTool, 'name'>): string {
	return agent.name;
}

/** The JSON Schema keywords of an agent's context schema that describe an object, shown on `context`. */
const CONTEXT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'description', 'title'];

/**
 * The input of an agent's tool: `message` (required), `task_id` to continue a task of the
 * caller's, `context` for a new task (described by the agent's context schema, which the turn
 * checks).
 */
export function askInputShape(agent: Pick<AgentTool, 'contextSchema'>) {
	const schema = agent.contextSchema ?? {};
	const described = Object.fromEntries(CONTEXT_KEYWORDS.filter((key) => key in schema).map((key) => [key, schema[key]]));
	return {
		message: z.string().trim().min(1, { message: 'must not be empty' }).max(MESSAGE_MAX).describe('Your message to the agent.'),
		task_id: z
			.string()
			.trim()
			.min(1, { message: 'must not be empty' })
			.max(TASK_ID_MAX)
			.optional()
			.describe('Continue this task of yours (the task_id of an earlier answer); a new task when left out.'),
		context: z
			.record(z.string(), z.unknown())
			.optional()
			.meta({
				description: agent.contextSchema
					? 'Context for a new task, checked against the agent’s context schema.'
					: 'Context for a new task (this agent has no context schema).',
				...described
			})
	};
}

/** The arguments of an agent's tool, once checked. */
export interface AskArguments {
	message: string;
	task_id?: string;
	context?: Record<string, unknown>;
}

/** The structured answer of an agent's tool. */
export const askOutputShape = {
	task_id: z.string().describe('The task the answer is stored in: send it as task_id to continue.'),
	text: z.string().describe('The answer’s text.')
};
