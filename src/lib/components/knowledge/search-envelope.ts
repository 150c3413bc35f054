import { isObject } from '../../is-object';

/** A product found by `search_products`, as the cards show it. */
export interface ProductItem {
	category: string;
	name: string;
	description: string;
	price: number | null;
	/** A picture link that is safe to load: a path on this site or an http(s) address. */
	imageUrl?: string;
	score: number | null;
	sourceName: string | null;
}

/** A passage found by `search_knowledge`, as the cards show it. */
export interface PassageItem {
	text: string;
	sourceName: string | null;
	position: number | null;
	score: number | null;
}

/** The envelope's metadata, as far as it could be read. */
export interface EnvelopeMetadata {
	searchType: string | null;
	totalResults: number | null;
	weights: { text: number; vector: number } | null;
	query: string | null;
}

/** A search result read from the chat-widget envelope: products or passages, in their order. */
export type SearchResult =
	| { kind: 'products'; items: ProductItem[]; metadata: EnvelopeMetadata }
	| { kind: 'passages'; items: PassageItem[]; metadata: EnvelopeMetadata };

type Fields = Record<string, unknown>;

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function finite(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Whether a tool's output has the chat-widget envelope's shape (`data` array, `metadata` with a
 * `search_type`). Cheap, for deciding whether to load the result cards at all.
 */
export function looksLikeSearchEnvelope(output: unknown): boolean {
	return isObject(output) && Array.isArray(output.data) && isObject(output.metadata) && 'search_type' in output.metadata;
}

/**
 * A picture address the cards may load: a path on this site (never `//host` or `/\host`) or an
 * http(s) link such as an S3 signed URL. Anything else (`javascript:`, `data:`) is dropped.
 */
export function safeImageUrl(value: unknown): string | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	if (/^\/(?![/\\])/.test(value)) return value;
	return /^https?:\/\/[^\s]+$/i.test(value) ? value : undefined;
}

function sourceNameOf(item: Fields): string | null {
	return isObject(item.source) && typeof item.source.name === 'string' && item.source.name ? item.source.name : null;
}

function scoreOf(item: Fields): number | null {
	return isObject(item.scores) ? finite(item.scores.hybrid) : null;
}

function isProduct(item: Fields): boolean {
	return typeof item.name === 'string' && 'price' in item;
}

function toProduct(item: Fields): ProductItem {
	const imageUrl = safeImageUrl(item.signed_url);
	return {
		category: text(item.category),
		name: text(item.name),
		description: text(item.description),
		price: finite(item.price),
		...(imageUrl ? { imageUrl } : {}),
		score: scoreOf(item),
		sourceName: sourceNameOf(item)
	};
}

function toPassage(item: Fields): PassageItem {
	return { text: text(item.text), sourceName: sourceNameOf(item), position: finite(item.position), score: scoreOf(item) };
}

function metadataOf(metadata: Fields): EnvelopeMetadata {
	const weights = isObject(metadata.weights) ? metadata.weights : undefined;
	const textWeight = finite(weights?.text);
	const vectorWeight = finite(weights?.vector);
	return {
		searchType: typeof metadata.search_type === 'string' ? metadata.search_type : null,
		totalResults: finite(metadata.total_results),
		weights: textWeight !== null && vectorWeight !== null ? { text: textWeight, vector: vectorWeight } : null,
		query: typeof metadata.query === 'string' ? metadata.query : null
	};
}

/**
 * Reads a search tool's output in the chat-widget envelope (`{data, metadata}`) as products (items
 * with a name and a price) or passages (items with a text); undefined when it is not such an
 * envelope or its items are neither.
 */
export function parseSearchEnvelope(output: unknown): SearchResult | undefined {
	if (!looksLikeSearchEnvelope(output)) return undefined;
	const envelope = output as { data: unknown[]; metadata: Fields };
	const items = envelope.data.filter(isObject);
	if (items.length !== envelope.data.length) return undefined;
	const metadata = metadataOf(envelope.metadata);
	if (items.length > 0 && items.every(isProduct)) return { kind: 'products', items: items.map(toProduct), metadata };
	if (items.every((item) => typeof item.text === 'string')) return { kind: 'passages', items: items.map(toPassage), metadata };
	return undefined;
}

let dollars: Intl.NumberFormat | undefined;

/** A product's price for people: `$39.00`, or "Price on request" when it has none. */
export function formatPrice(price: number | null): string {
	if (price === null) return 'Price on request';
	dollars ??= new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
	return dollars.format(price);
}

/** A passage's place in its document for people, counting from 1: "Passage 3". */
export function formatPosition(position: number | null): string | null {
	return position === null ? null : `Passage ${position + 1}`;
}
