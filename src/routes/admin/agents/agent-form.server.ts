import type { AgentResource } from '$lib/server/services/agent-admin';
import { jsonObjectField, numberField, textField } from '../catalog-form.server';

/** The agent form's fields as typed: what the form shows again after a failed save. */
export interface AgentFormValues {
	name: string;
	slug: string;
	description: string;
	system_prompt: string;
	model: string;
	temperature: string;
	max_steps: string;
	reasoning: string;
	tools: string[];
	mcp_servers: string[];
	prompt_template_id: string;
	context_schema: string;
	visibility: string;
}

/** The form values of an agent. */
export function agentFormValues(agent: AgentResource): AgentFormValues {
	return {
		name: agent.name,
		slug: agent.slug,
		description: agent.description,
		system_prompt: agent.system_prompt,
		model: agent.model,
		temperature: agent.temperature === null ? '' : String(agent.temperature),
		max_steps: String(agent.max_steps),
		reasoning: agent.reasoning,
		tools: agent.tools.map(String),
		mcp_servers: agent.mcp_servers.map(String),
		prompt_template_id: agent.prompt_template_id === null ? '' : String(agent.prompt_template_id),
		context_schema: agent.context_schema ? JSON.stringify(agent.context_schema, null, 2) : '',
		visibility: agent.visibility
	};
}

/** What was typed, to show again. */
export function typedAgentValues(form: FormData): AgentFormValues {
	return {
		name: textField(form, 'name'),
		slug: textField(form, 'slug'),
		description: textField(form, 'description'),
		system_prompt: textField(form, 'system_prompt'),
		model: textField(form, 'model'),
		temperature: textField(form, 'temperature'),
		max_steps: textField(form, 'max_steps'),
		reasoning: textField(form, 'reasoning'),
		tools: form.getAll('tools').map(String),
		mcp_servers: form.getAll('mcp_servers').map(String),
		prompt_template_id: textField(form, 'prompt_template_id'),
		context_schema: textField(form, 'context_schema'),
		visibility: textField(form, 'visibility')
	};
}

/**
 * The agent input of a submitted form, for the admin service's schema to validate; throws a
 * `FormFieldError` when the context schema is not a JSON object.
 */
export function readAgentForm(form: FormData) {
	return {
		name: textField(form, 'name'),
		slug: textField(form, 'slug'),
		description: textField(form, 'description'),
		system_prompt: textField(form, 'system_prompt'),
		model: textField(form, 'model'),
		temperature: numberField(form, 'temperature'),
		max_steps: numberField(form, 'max_steps') ?? undefined,
		// The procedure's schema refuses any other value with a message naming the field.
		reasoning: (textField(form, 'reasoning') || 'off') as 'off' | 'low' | 'medium' | 'high',
		tools: form.getAll('tools').map((id) => Number(id)),
		mcp_servers: form.getAll('mcp_servers').map((id) => Number(id)),
		prompt_template_id: numberField(form, 'prompt_template_id'),
		context_schema: jsonObjectField(form, 'context_schema'),
		// The procedure's schema refuses any other value with a message naming the field.
		visibility: textField(form, 'visibility') as 'public' | 'users' | 'admins'
	};
}
