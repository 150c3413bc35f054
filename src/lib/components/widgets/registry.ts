import type { Component } from 'svelte';
import AppointmentPickerWidget from './AppointmentPickerWidget.svelte';
import ChoiceWidget from './ChoiceWidget.svelte';
import FormWidget from './FormWidget.svelte';
import ProductCarouselWidget from './ProductCarouselWidget.svelte';
import { readAppointmentPicker, readChoice, readForm, readProductCarousel } from './widget-data';
import type { WidgetProps } from './widget-props';

/** A widget type: how to read and check its data, and the component that shows it. */
export interface WidgetDefinition<Data> {
	read: (data: unknown) => Data | undefined;
	component: Component<WidgetProps<Data>>;
}

function widget<Data>(read: (data: unknown) => Data | undefined, component: Component<WidgetProps<Data>>): WidgetDefinition<Data> {
	return { read, component };
}

/** The widget types shown with their own component, by type name; any other type shows as a fallback card. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry pairs its own data type with its component
export const widgetRegistry: Record<string, WidgetDefinition<any>> = {
	choice: widget(readChoice, ChoiceWidget),
	form: widget(readForm, FormWidget),
	product_carousel: widget(readProductCarousel, ProductCarouselWidget),
	appointment_picker: widget(readAppointmentPicker, AppointmentPickerWidget)
};

/**
 * The component for a widget and its data as read: undefined for an unknown type or data that
 * does not fit its type, which then shows as a fallback card.
 */
export function resolveWidget(type: string, data: unknown): { component: Component<WidgetProps<unknown>>; data: unknown } | undefined {
	// The type name comes from an agent: `constructor` or `toString` must not find Object's members.
	if (!Object.hasOwn(widgetRegistry, type)) return undefined;
	const definition = widgetRegistry[type];
	try {
		const read = definition.read(data);
		return read === undefined ? undefined : { component: definition.component, data: read };
	} catch {
		return undefined;
	}
}
