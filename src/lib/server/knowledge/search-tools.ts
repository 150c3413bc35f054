import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { files } from '../db/schema';
import { signedFileUrl } from '../files/signed-urls';
import { ToolError } from '../tools/tool-error';
import type { ToolContext } from '../tools/tool-context';
import type { HybridHit, HybridSearchResult, SearchScope } from './hybrid-search';
import { searchKnowledge } from './knowledge';

/** The input of `search_products` and `search_knowledge`, as `api.md` fixes it. */
export const searchToolInputSchema = z.object({
	query: z.string({ message: 'must be a string' }).trim().min(1, { message: 'must not be empty' }),
	limit: z
		.number({ message: 'must be a whole number' })
		.int({ message: 'must be a whole number' })
		.min(1, { message: 'must be at least 1' })
		.max(20, { message: 'must be at most 20' })
		.optional()
});

/** The settings an admin may give a search tool (its row's `config`). */
export const searchToolConfigSchema = z.object({
	weights: z.object({ text: z.number().min(0).max(1), vector: z.number().min(0).max(1) }).optional(),
	limit: z.number().int().min(1).max(20).optional()
});

/** How long a product picture's signed link lasts: one hour. */
export const PRODUCT_IMAGE_URL_SECONDS = 3600;

/** A product in the chat-widget stack's search envelope. */
export interface ProductResult {
	category: string;
	name: string;
	description: string;
	price: number | null;
	/** A time-limited link to the product's picture. */
	signed_url?: string;
	scores: { hybrid: number };
	/** Where it was found: the catalogue's name. */
	source: { id: string; name: string };
}

/** A passage of a document in the same envelope. */
export interface PassageResult {
	text: string;
	/** Where it was found: the document's name and stored file. */
	source: { id: string; name: string; file_id: string | null };
	/** The passage's place in its document, from 0. */
	position: number;
	scores: { hybrid: number };
}

/** The chat-widget stack's search envelope. */
export interface SearchEnvelope<T> {
	data: T[];
	metadata: {
		search_type: HybridSearchResult['searchType'];
		total_results: number;
		weights: { text: number; vector: number };
		query: string;
	};
}

/** Signs a link to a stored file (by default the storage's own: local or S3, see {@link signedFileUrl}). */
export type SignFileUrl = (
	db: Db,
	file: { storageKey: string; name: string; mimeType: string },
	options: { expiresInSeconds: number }
) => Promise<string>;

/** A hybrid score rounded for people and models (six decimals). */
function rounded(score: number): number {
	return Math.round(score * 1e6) / 1e6;
}

/** Links to the pictures of the products among the hits, by file id. */
async function imageUrls(db: Db, hits: HybridHit[], sign: SignFileUrl): Promise<Map<string, string>> {
	const ids = [...new Set(hits.flatMap((hit) => (hit.product?.imageFileId ? [hit.product.imageFileId] : [])))];
	if (ids.length === 0) return new Map();
	const rows = await db
		.select({ id: files.id, storageKey: files.storageKey, name: files.name, mimeType: files.mimeType })
		.from(files)
		.where(inArray(files.id, ids));
	const urls = await Promise.all(
		rows.map(async (row) => [row.id, await sign(db, row, { expiresInSeconds: PRODUCT_IMAGE_URL_SECONDS })] as const)
	);
	return new Map(urls);
}

/** The envelope's metadata for a search. */
function metadataOf(result: HybridSearchResult, query: string, count: number): SearchEnvelope<unknown>['metadata'] {
	return { search_type: result.searchType, total_results: count, weights: { ...result.weights }, query };
}

/** Products found, in the chat-widget stack's envelope. */
export async function productEnvelope(
	db: Db,
	result: HybridSearchResult,
	query: string,
	sign: SignFileUrl = signedFileUrl
): Promise<SearchEnvelope<ProductResult>> {
	const urls = await imageUrls(db, result.hits, sign);
	const data = result.hits.flatMap((hit): ProductResult[] => {
		if (!hit.product) return [];
		const { category, name, description, price, imageFileId } = hit.product;
		const signedUrl = imageFileId ? urls.get(imageFileId) : undefined;
		return [
			{
				category,
				name,
				description,
				price,
				...(signedUrl ? { signed_url: signedUrl } : {}),
				scores: { hybrid: rounded(hit.scores.hybrid) },
				source: { id: hit.source.id, name: hit.source.name }
			}
		];
	});
	return { data, metadata: metadataOf(result, query, data.length) };
}

/** Passages found, in the same envelope. */
export function passageEnvelope(result: HybridSearchResult, query: string): SearchEnvelope<PassageResult> {
	const data = result.hits.map((hit) => ({
		text: hit.text,
		source: { id: hit.source.id, name: hit.source.name, file_id: hit.source.fileId },
		position: hit.position,
		scores: { hybrid: rounded(hit.scores.hybrid) }
	}));
	return { data, metadata: metadataOf(result, query, data.length) };
}

/** The validated input and settings of a search tool call, and the run's database and agent. */
function readCall(input: Record<string, unknown>, context: ToolContext) {
	const parsed = searchToolInputSchema.safeParse(input);
	if (!parsed.success) {
		const [issue] = parsed.error.issues;
		throw new ToolError(`Invalid input: ${issue.path.join('.') || 'input'} ${issue.message}.`);
	}
	const settings = searchToolConfigSchema.safeParse(context.toolConfig ?? {});
	if (!context.db || context.agentId === undefined) throw new ToolError('Search is not available in this run.');
	const config = settings.success ? settings.data : {};
	return {
		db: context.db,
		agentId: context.agentId,
		query: parsed.data.query,
		limit: parsed.data.limit ?? config.limit ?? 5,
		weights: config.weights
	};
}

/** Runs a search tool over one scope of the agent's knowledge. */
async function search(input: Record<string, unknown>, context: ToolContext, scope: SearchScope) {
	const call = readCall(input, context);
	const result = await searchKnowledge(call.db, { ...call, scope, signal: context.signal });
	return { call, result };
}

/** The `search_products` tool: catalogue rows by words and meaning, as product cards. */
export function searchProductsTool(sign: SignFileUrl = signedFileUrl) {
	return async (input: Record<string, unknown>, context: ToolContext): Promise<SearchEnvelope<ProductResult>> => {
		const { call, result } = await search(input, context, 'products');
		return productEnvelope(call.db, result, call.query, sign);
	};
}

/** The `search_knowledge` tool: passages of the agent's documents (and catalogues). */
export async function searchKnowledgeTool(input: Record<string, unknown>, context: ToolContext): Promise<SearchEnvelope<PassageResult>> {
	const { call, result } = await search(input, context, 'all');
	return passageEnvelope(result, call.query);
}
