import type { WidgetSubmission } from '../../widgets/contract';

/** The props every widget component of the registry takes. */
export interface WidgetProps<Data> {
	/** The widget's data, already read and checked by the registry. */
	data: Data;
	/** The value already sent, once the widget has been answered. */
	submitted?: WidgetSubmission;
	/** Whether the controls are off: answered, an answer streaming, or an older answer. */
	disabled: boolean;
	/** Sends a value with a short readable label of it ("Billing", "Tue 3 Dec, 10:00"). */
	onsubmit: (value: unknown, label: string) => void;
}
