/**
 * Widgets in answers: how an agent shows one and how a person's answer goes back. Shared by the
 * server (which stores widget parts) and every client that renders them (the chat, the
 * embeddable `<parley-chat>`).
 */

/** The UIMessage data part that shows a widget. Its `id` is the widget's id. */
export const WIDGET_PART_TYPE = 'data-widget';

/** The data part a user message carries when it answers a widget. */
export const WIDGET_SUBMIT_PART_TYPE = 'data-widget-submit';

/** The widget types every Parley client renders; any other type gets a readable fallback. */
export const builtinWidgetTypes = ['choice', 'form', 'product_carousel', 'appointment_picker'] as const;
export type BuiltinWidgetType = (typeof builtinWidgetTypes)[number];

/** What a `data-widget` part holds. */
export interface WidgetData {
	/** The registry name: one of {@link builtinWidgetTypes}, or an agent's own (shown as a fallback). */
	type: string;
	/** The widget's own data (see the shapes below for the built-in types). */
	data: unknown;
	/**
	 * Set when the widget answers a tool call that waits for the caller: submitting sends the value
	 * as that call's output instead of as a new message.
	 */
	toolCallId?: string;
	/** The waiting tool's name, with `toolCallId`. */
	toolName?: string;
}

/** A `data-widget` part as stored and streamed. */
export interface WidgetPart {
	type: typeof WIDGET_PART_TYPE;
	id: string;
	data: WidgetData;
}

/** What a person submitted to a widget. */
export interface WidgetSubmission {
	widgetId: string;
	type: string;
	value: unknown;
}

/** The part a user message carries beside its text (a readable label of the value) when it answers a widget. */
export interface WidgetSubmitPart {
	type: typeof WIDGET_SUBMIT_PART_TYPE;
	data: WidgetSubmission;
}

/** `choice`: buttons, one per option; the value is the chosen option's `value` (an array when `multiple`). */
export interface ChoiceWidgetData {
	question?: string;
	options: { value: string; label: string; description?: string }[];
	multiple?: boolean;
}

/**
 * `form`: fields built from a JSON Schema object (string, number, integer, boolean, enum, with
 * `title`, `description`, `default`, `required`, `minimum`/`maximum`, `minLength`/`maxLength`,
 * `format: email|date`); the value is the object entered.
 */
export interface FormWidgetData {
	title?: string;
	schema: Record<string, unknown>;
	submitLabel?: string;
}

/** `product_carousel`: a row of product cards; choosing one submits `{ productId }`. */
export interface ProductCarouselWidgetData {
	title?: string;
	products: {
		id: string;
		name: string;
		description?: string;
		price?: number;
		currency?: string;
		image?: string;
		url?: string;
	}[];
}

/** `appointment_picker`: free slots grouped by day; choosing one submits `{ start, end }` (ISO 8601). */
export interface AppointmentPickerWidgetData {
	title?: string;
	/** IANA time zone the slots are shown in. */
	timeZone: string;
	durationMinutes: number;
	slots: { start: string; end: string }[];
}

/** Whether a stored or streamed part shows a widget. */
export function isWidgetPart(part: { type: string }): part is WidgetPart {
	return part.type === WIDGET_PART_TYPE && 'data' in part && typeof (part as WidgetPart).data?.type === 'string';
}

/** Whether a part answers a widget. */
export function isWidgetSubmitPart(part: { type: string }): part is WidgetSubmitPart {
	return part.type === WIDGET_SUBMIT_PART_TYPE && 'data' in part;
}
