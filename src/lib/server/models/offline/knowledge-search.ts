import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';

/**
 * How the offline model uses knowledge search: asked a question by an agent that has a search
 * tool, it searches with the question's words; given the results, it answers from them and
 * cites each one by its number ([1], [2]…), the numbers the chat shows on the result cards.
 */

/** The search tools the offline model calls on its own, in order of preference. */
const SEARCH_TOOLS = ['search_products', 'search_knowledge'];

/** How many results the answer names. */
const CITED_RESULTS = 5;

/** The words of a passage quoted in an answer. */
const QUOTED_WORDS = 40;

/** The search tool to call for a question, when the agent has one whose `query` is a string. */
export function searchToolOf(tools: LanguageModelV3FunctionTool[]): LanguageModelV3FunctionTool | undefined {
	for (const name of SEARCH_TOOLS) {
		const tool = tools.find((candidate) => candidate.name === name);
		if (tool) return tool;
	}
	return undefined;
}

interface Envelope {
	data: Record<string, unknown>[];
	metadata: { query?: unknown; search_type?: unknown };
}

function isEnvelope(value: unknown): value is Envelope {
	if (typeof value !== 'object' || value === null) return false;
	const { data, metadata } = value as Record<string, unknown>;
	return Array.isArray(data) && typeof metadata === 'object' && metadata !== null && 'search_type' in metadata;
}

function price(value: unknown): string {
	return typeof value === 'number' ? `$${value.toFixed(2)}` : 'price on request';
}

function shortened(text: string, words: number): string {
	const all = text.split(/\s+/).filter(Boolean);
	return all.length <= words ? all.join(' ') : `${all.slice(0, words).join(' ')}…`;
}

function sourceName(item: Record<string, unknown>): string {
	const source = item.source as { name?: unknown } | undefined;
	return typeof source?.name === 'string' ? source.name : 'a source';
}

/**
 * The answer to a search tool's result in the chat-widget envelope, citing every result it
 * names; undefined when the output is not such an envelope.
 */
export function describeSearchResult(toolName: string, output: unknown): string | undefined {
	if (!isEnvelope(output)) return undefined;
	const query = typeof output.metadata.query === 'string' ? output.metadata.query : '';
	const about = query ? ` for "${shortened(query, 12)}"` : '';
	const items = output.data.slice(0, CITED_RESULTS);
	const products = toolName === 'search_products' || items.some((item) => 'price' in item && 'name' in item);
	if (items.length === 0) {
		return products
			? `I found no products${about}. Try other words, or ask for a category such as tents or lamps.`
			: `I found nothing in the documents${about}.`;
	}
	if (products) {
		const lines = items.map((item, index) => {
			const category = typeof item.category === 'string' && item.category ? `, ${item.category}` : '';
			const description = typeof item.description === 'string' ? `\n   ${shortened(item.description, 24)}` : '';
			return `${index + 1}. **${String(item.name)}** — ${price(item.price)}${category} [${index + 1}]${description}`;
		});
		const count = items.length === 1 ? 'one product' : `${items.length} products`;
		return `I found ${count}${about}:\n\n${lines.join('\n')}\n\nThe best match is **${String(items[0].name)}** [1].`;
	}
	const lines = items.map((item, index) => {
		const text = typeof item.text === 'string' ? shortened(item.text, QUOTED_WORDS) : '';
		return `${index + 1}. "${text}" — *${sourceName(item)}* [${index + 1}]`;
	});
	return `Here is what the documents say${about}:\n\n${lines.join('\n')}`;
}
