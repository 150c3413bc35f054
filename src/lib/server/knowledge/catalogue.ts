import { parse } from 'csv-parse/sync';
import { isObject } from '../../is-object';
import type { ProductFields } from '../db/schema';
import { AppError } from '../errors';

/** A catalogue row: the product's fields, its other columns, and its picture's reference if any. */
export interface CatalogueRow {
	product: ProductFields;
	/** Columns besides the product fields (brand, colour…), searched with the rest. */
	extra: Record<string, string>;
	/** The `image` column: a stored file's id or its `/api/files/{id}` link. */
	image: string | null;
}

/** The most rows a catalogue may have. */
export const MAX_CATALOGUE_ROWS = 50_000;

/** Column names accepted for each field (compared lower-cased, spaces and dashes as `_`). */
const COLUMNS = {
	name: ['name', 'title', 'product', 'product_name'],
	description: ['description', 'desc', 'details', 'summary'],
	category: ['category', 'type', 'department', 'section'],
	price: ['price', 'cost', 'amount', 'unit_price'],
	image: ['image', 'image_file_id', 'image_file', 'picture', 'photo']
} as const;

type Field = keyof typeof COLUMNS;

function columnKey(name: string): string {
	return name
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
}

/** Which field a column holds, if any. */
function fieldOf(column: string): Field | undefined {
	const key = columnKey(column);
	return (Object.keys(COLUMNS) as Field[]).find((field) => (COLUMNS[field] as readonly string[]).includes(key));
}

/** A price from text such as "49", "$49.90", "49,90 €", or null. */
export function parsePrice(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string') return null;
	const cleaned = value.replace(/[^\d.,-]/g, '');
	const normalised = /,\d{1,2}$/.test(cleaned) ? cleaned.replace(/\./g, '').replace(',', '.') : cleaned.replace(/,/g, '');
	const price = Number.parseFloat(normalised);
	return Number.isFinite(price) ? Math.round(price * 100) / 100 : null;
}

function text(value: unknown): string {
	if (value === null || value === undefined) return '';
	return (typeof value === 'object' ? JSON.stringify(value) : String(value)).trim();
}

/** The records of a JSON catalogue: an array of objects, or one under `products`, `items` or `data`. */
function jsonRecords(source: string): Record<string, unknown>[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(source);
	} catch {
		throw new AppError('invalid_input', 'The catalogue is not valid JSON.', { field: 'file' });
	}
	const list = Array.isArray(parsed)
		? parsed
		: isObject(parsed)
			? ['products', 'items', 'data'].map((key) => parsed[key]).find(Array.isArray)
			: undefined;
	if (!list) {
		throw new AppError('invalid_input', 'A JSON catalogue must be an array of products (or hold one under "products").', { field: 'file' });
	}
	return list.filter(isObject);
}

/** The records of a CSV catalogue, by its header row. */
function csvRecords(source: string): Record<string, unknown>[] {
	try {
		return parse(source, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new AppError('invalid_input', `The catalogue is not valid CSV: ${reason}`, { field: 'file' });
	}
}

/**
 * Reads a product catalogue, CSV (with a header row) or JSON. Each row needs a name; description,
 * category, price and image are read from the usual column names, other columns are kept as
 * searchable extras. Refuses (422) a catalogue with no rows or no name column.
 */
export function parseCatalogue(source: string, format: 'csv' | 'json'): CatalogueRow[] {
	const records = format === 'json' ? jsonRecords(source) : csvRecords(source);
	if (records.length === 0) throw new AppError('invalid_input', 'The catalogue has no rows.', { field: 'file' });
	if (records.length > MAX_CATALOGUE_ROWS) {
		throw new AppError('invalid_input', `The catalogue has more than ${MAX_CATALOGUE_ROWS} rows.`, { field: 'file' });
	}
	const rows: CatalogueRow[] = [];
	for (const record of records) {
		const fields: Partial<Record<Field, unknown>> = {};
		const extra: Record<string, string> = {};
		for (const [column, value] of Object.entries(record)) {
			const field = fieldOf(column);
			if (field && fields[field] === undefined) fields[field] = value;
			else if (text(value)) extra[column.trim()] = text(value);
		}
		const name = text(fields.name);
		if (!name) continue;
		rows.push({
			product: {
				name,
				description: text(fields.description),
				category: text(fields.category),
				price: parsePrice(fields.price)
			},
			extra,
			image: text(fields.image) || null
		});
	}
	if (rows.length === 0) {
		throw new AppError('invalid_input', 'The catalogue has no row with a name (a "name" or "title" column).', { field: 'file' });
	}
	return rows;
}

/** The searchable text of a catalogue row: name, category, description and the other columns. */
export function catalogueRowText(row: Pick<CatalogueRow, 'product' | 'extra'>): string {
	const { name, category, description } = row.product;
	const head = category ? `${name} (${category})` : name;
	const extras = Object.entries(row.extra).map(([key, value]) => `${key}: ${value}.`);
	return [`${head}.`, description, ...extras].filter(Boolean).join(' ');
}
