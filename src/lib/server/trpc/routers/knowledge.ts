import { z } from 'zod';
import { knowledgeSourceKinds } from '../../db/schema';
import { AppError } from '../../errors';
import {
	addKnowledgeSource,
	deleteKnowledgeSource,
	listKnowledgeSources,
	reindexKnowledgeSource,
	searchKnowledge,
	type KnowledgeSourceView
} from '../../knowledge/knowledge';
import { passageEnvelope } from '../../knowledge/search-tools';
import { getAgentResource } from '../../services/agent-admin';
import { getOwnFile } from '../../files/file-records';
import type { Viewer } from '../../services/viewer';
import { builtinTools } from '../../tools/builtin';
import type { Db } from '../../db';
import { adminProcedure, router, type Context } from '../trpc';

const agentInput = z.object({ agentId: z.number().int().positive() });
const sourceInput = agentInput.extend({ sourceId: z.string().min(1).max(64) });

const weight = z
	.number({ message: 'must be a number from 0 to 1' })
	.min(0, { message: 'must be at least 0' })
	.max(1, { message: 'must be at most 1' });

/** A trial search of an agent's knowledge from the admin page. */
export const knowledgeSearchInputSchema = z.object({
	query: z
		.string({ message: 'must be a string' })
		.trim()
		.min(1, { message: 'must not be empty' })
		.max(500, { message: 'must be at most 500 characters' }),
	/** `products` runs `search_products`, `all` runs `search_knowledge`, `documents` searches documents only. */
	scope: z.enum(['products', 'documents', 'all'], { message: 'must be products, documents or all' }).default('all'),
	weights: z.object({ text: weight, vector: weight }).default({ text: 0.5, vector: 0.5 }),
	limit: z
		.number({ message: 'must be a whole number' })
		.int({ message: 'must be a whole number' })
		.min(1, { message: 'must be at least 1' })
		.max(20, { message: 'must be at most 20' })
		.default(5)
});

/** A knowledge source as the admin page shows it (dates as ISO strings). */
export interface KnowledgeSourceItem extends Omit<KnowledgeSourceView, 'createdAt' | 'updatedAt'> {
	createdAt: string;
	updatedAt: string;
}

function toItem(source: KnowledgeSourceView): KnowledgeSourceItem {
	return { ...source, createdAt: source.createdAt.toISOString(), updatedAt: source.updatedAt.toISOString() };
}

/** 404 unless the agent exists. */
async function assertAgent(db: Db, viewer: Viewer, agentId: number): Promise<void> {
	await getAgentResource(db, viewer, agentId);
}

/** Runs a trial search the way the agent's search tools run in a chat, and returns their envelope. */
async function trySearch(ctx: Context, agentId: number, input: z.infer<typeof knowledgeSearchInputSchema>) {
	if (input.weights.text + input.weights.vector === 0) {
		throw new AppError('unprocessable', 'Give the text weight or the vector weight a value above 0.', { field: 'weights' });
	}
	if (input.scope === 'documents') {
		const result = await searchKnowledge(ctx.db, {
			agentId,
			query: input.query,
			limit: input.limit,
			weights: input.weights,
			scope: 'documents'
		});
		return passageEnvelope(result, input.query);
	}
	const tool = builtinTools[input.scope === 'products' ? 'search_products' : 'search_knowledge'];
	return tool(
		{ query: input.query, limit: input.limit },
		{ config: ctx.config, db: ctx.db, agentId, toolConfig: { weights: input.weights, limit: input.limit } }
	);
}

/** An agent's knowledge, for the admin pages: its sources, adding and removing them, and trial searches. */
export const knowledgeRouter = router({
	list: adminProcedure.input(agentInput).query(async ({ ctx, input }) => {
		await assertAgent(ctx.db, ctx.viewer, input.agentId);
		return (await listKnowledgeSources(ctx.db, input.agentId)).map(toItem);
	}),
	/** Gives the agent a stored file as a document or a catalogue; it is indexed in the background. */
	add: adminProcedure
		.input(agentInput.extend({ fileId: z.string().min(1).max(64), kind: z.enum(knowledgeSourceKinds) }))
		.mutation(async ({ ctx, input }) => {
			const file = await getOwnFile(ctx.db, ctx.viewer, input.fileId, { field: 'fileId' });
			return toItem(await addKnowledgeSource(ctx.db, { agentId: input.agentId, file, kind: input.kind }));
		}),
	delete: adminProcedure.input(sourceInput).mutation(({ ctx, input }) => deleteKnowledgeSource(ctx.db, input.agentId, input.sourceId)),
	reindex: adminProcedure.input(sourceInput).mutation(({ ctx, input }) => reindexKnowledgeSource(ctx.db, input.agentId, input.sourceId)),
	search: adminProcedure.input(agentInput.extend(knowledgeSearchInputSchema.shape)).query(async ({ ctx, input }) => {
		const { agentId, ...search } = input;
		await assertAgent(ctx.db, ctx.viewer, agentId);
		return trySearch(ctx, agentId, search);
	})
});
