import type { AppointmentPickerWidgetData, ChoiceWidgetData, ProductCarouselWidgetData } from '../../widgets/contract';
import { safeImageUrl } from '../knowledge/search-envelope';
import { formFields, type FormField } from './form-fields';
import { isTimeZone } from './group-slots-by-day';
import { isObject } from '../../is-object';

/*
 * Widget data comes from an agent, so each reader checks it: what a widget needs to work (options,
 * fields, products, slots) must be there and well formed, or the reader answers undefined and the
 * widget shows as a fallback card; optional extras of the wrong type (a title that is a number, an
 * unsafe link) are left out.
 */

/** A non-empty string, or undefined. */
function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function finite(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Reads every item, or none: undefined as soon as one item does not read. */
function readAll<T>(items: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
	if (!Array.isArray(items)) return undefined;
	const result: T[] = [];
	for (const item of items) {
		const value = read(item);
		if (value === undefined) return undefined;
		result.push(value);
	}
	return result;
}

/** Adds `key: value` only when the value is there. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
	return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

type ChoiceOption = ChoiceWidgetData['options'][number];

function readOption(item: unknown): ChoiceOption | undefined {
	if (!isObject(item) || typeof item.value !== 'string') return undefined;
	return { value: item.value, label: text(item.label) ?? item.value, ...optional('description', text(item.description)) };
}

/** `choice`: at least one option, each with a string `value` (the label defaults to it). */
export function readChoice(data: unknown): ChoiceWidgetData | undefined {
	if (!isObject(data)) return undefined;
	const options = readAll(data.options, readOption);
	if (!options || options.length === 0) return undefined;
	return { ...optional('question', text(data.question)), options, multiple: data.multiple === true };
}

/** A form widget as the form shows it: its fields read from the schema. */
export interface FormWidgetModel {
	title?: string;
	submitLabel?: string;
	fields: FormField[];
}

/** `form`: a JSON Schema object whose every property has an input here. */
export function readForm(data: unknown): FormWidgetModel | undefined {
	if (!isObject(data)) return undefined;
	const fields = formFields(data.schema);
	if (!fields) return undefined;
	return { ...optional('title', text(data.title)), ...optional('submitLabel', text(data.submitLabel)), fields };
}

type Product = ProductCarouselWidgetData['products'][number];

function readProduct(item: unknown): Product | undefined {
	if (!isObject(item)) return undefined;
	const id = typeof item.id === 'number' && Number.isFinite(item.id) ? String(item.id) : text(item.id);
	const name = text(item.name);
	if (id === undefined || name === undefined) return undefined;
	return {
		id,
		name,
		...optional('description', text(item.description)),
		...optional('price', finite(item.price)),
		...optional('currency', text(item.currency)),
		...optional('image', safeImageUrl(item.image)),
		...optional('url', safeImageUrl(item.url))
	};
}

/** `product_carousel`: products, each with an `id` and a `name`. */
export function readProductCarousel(data: unknown): ProductCarouselWidgetData | undefined {
	if (!isObject(data)) return undefined;
	const products = readAll(data.products, readProduct);
	if (!products) return undefined;
	return { ...optional('title', text(data.title)), products };
}

/** An appointment picker as the picker shows it; the duration is left out when it is not a positive number. */
export type AppointmentPickerModel = Omit<AppointmentPickerWidgetData, 'durationMinutes'> & { durationMinutes?: number };

function readSlot(item: unknown): { start: string; end: string } | undefined {
	if (!isObject(item) || typeof item.start !== 'string' || typeof item.end !== 'string') return undefined;
	if (!Number.isFinite(Date.parse(item.start)) || !Number.isFinite(Date.parse(item.end))) return undefined;
	return { start: item.start, end: item.end };
}

/** `appointment_picker`: a known IANA time zone and slots whose `start` and `end` are dates. */
export function readAppointmentPicker(data: unknown): AppointmentPickerModel | undefined {
	if (!isObject(data) || typeof data.timeZone !== 'string' || !isTimeZone(data.timeZone)) return undefined;
	const slots = readAll(data.slots, readSlot);
	if (!slots) return undefined;
	const duration = finite(data.durationMinutes);
	return {
		...optional('title', text(data.title)),
		timeZone: data.timeZone,
		...optional('durationMinutes', duration !== undefined && duration > 0 ? duration : undefined),
		slots
	};
}
