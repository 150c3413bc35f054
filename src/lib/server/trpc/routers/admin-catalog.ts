import { z } from 'zod';
import { defaultModelId, listModelOptions, modelLabel } from '../../models/catalog';
import {
	agentInputSchema,
	createAgent,
	deleteAgent,
	getAgentResource,
	listAgentResources,
	updateAgent,
	withDefaultModel
} from '../../services/agent-admin';
import {
	createTemplate,
	deleteTemplate,
	getTemplate,
	listTemplates,
	templateInputSchema,
	updateTemplate
} from '../../services/template-admin';
import { listMcpServers } from '../../services/mcp-servers';
import { createTool, deleteTool, getToolResource, listToolResources, toolInputSchema, updateTool } from '../../services/tool-admin';
import { builtinTools } from '../../tools/builtin';
import { adminProcedure, router } from '../trpc';

const idInput = z.object({ id: z.number().int().positive() });

/**
 * What the agent form offers: models of the configured providers (and the one new agents get),
 * every tool, every MCP server (to use all of its tools), every template.
 */
const agentFormOptions = adminProcedure.query(async ({ ctx }) => {
	const [tools, templates, servers] = await Promise.all([listToolResources(ctx.db, ctx.viewer), listTemplates(ctx), listMcpServers(ctx)]);
	return {
		models: listModelOptions(ctx.config),
		default_model: defaultModelId(ctx.config),
		tools: tools.map(({ id, name, kind, description }) => ({ id, name, kind, description })),
		mcp_servers: servers.map(({ id, name, transport, status, tools }) => ({ id, name, transport, status, tool_count: tools.length })),
		templates: templates.map(({ id, name }) => ({ id, name }))
	};
});

/** The admin pages' agents, tools and prompt templates: all admin-only, all through the admin services. */
export const adminCatalogRouter = router({
	agents: router({
		list: adminProcedure.query(async ({ ctx }) =>
			(await listAgentResources(ctx.db, ctx.viewer)).map((agent) => ({ ...agent, model_label: modelLabel(agent.model) }))
		),
		get: adminProcedure.input(idInput).query(({ ctx, input }) => getAgentResource(ctx.db, ctx.viewer, input.id)),
		formOptions: agentFormOptions,
		create: adminProcedure.input(agentInputSchema).mutation(({ ctx, input }) => createAgent(ctx, input)),
		update: adminProcedure
			.input(agentInputSchema.extend(idInput.shape))
			.mutation(({ ctx, input: { id, ...agent } }) => updateAgent(ctx, id, withDefaultModel(ctx.config, agent))),
		delete: adminProcedure.input(idInput).mutation(({ ctx, input }) => deleteAgent(ctx, input.id))
	}),
	tools: router({
		list: adminProcedure.query(({ ctx }) => listToolResources(ctx.db, ctx.viewer)),
		get: adminProcedure.input(idInput).query(({ ctx, input }) => getToolResource(ctx.db, ctx.viewer, input.id)),
		/** The names of the built-in implementations a `builtin` tool can run. */
		builtins: adminProcedure.query(() => Object.keys(builtinTools)),
		create: adminProcedure.input(toolInputSchema).mutation(({ ctx, input }) => createTool(ctx, input)),
		update: adminProcedure
			.input(toolInputSchema.extend(idInput.shape))
			.mutation(({ ctx, input: { id, ...tool } }) => updateTool(ctx, id, tool)),
		delete: adminProcedure.input(idInput).mutation(({ ctx, input }) => deleteTool(ctx, input.id))
	}),
	templates: router({
		list: adminProcedure.query(({ ctx }) => listTemplates(ctx)),
		get: adminProcedure.input(idInput).query(({ ctx, input }) => getTemplate(ctx, input.id)),
		create: adminProcedure.input(templateInputSchema).mutation(({ ctx, input }) => createTemplate(ctx, input)),
		update: adminProcedure
			.input(templateInputSchema.extend(idInput.shape))
			.mutation(({ ctx, input: { id, ...template } }) => updateTemplate(ctx, id, template)),
		delete: adminProcedure.input(idInput).mutation(({ ctx, input }) => deleteTemplate(ctx, input.id))
	})
});
