import { isWidgetSubmitPart, type WidgetPart, type WidgetSubmission } from '../../widgets/contract';

/** What the helpers read of a message: its role and parts (an AI SDK `UIMessage` fits). */
interface MessageLike {
	role: string;
	parts: readonly { type: string }[];
}

function isSubmission(value: unknown): value is WidgetSubmission {
	if (typeof value !== 'object' || value === null) return false;
	const submission = value as Partial<WidgetSubmission>;
	return typeof submission.widgetId === 'string' && typeof submission.type === 'string' && 'value' in submission;
}

/**
 * The answers sent to widgets as messages, by widget id: each from a user message's
 * `data-widget-submit` part (the last one wins, should a widget be answered twice).
 */
export function widgetSubmissions(messages: readonly MessageLike[]): Map<string, WidgetSubmission> {
	const submissions = new Map<string, WidgetSubmission>();
	for (const message of messages) {
		if (message.role !== 'user') continue;
		for (const part of message.parts) {
			if (isWidgetSubmitPart(part) && isSubmission(part.data)) submissions.set(part.data.widgetId, part.data);
		}
	}
	return submissions;
}

/** The submission read from a message: its `data-widget-submit` part's, if it has one. */
export function submissionOf(message: MessageLike): WidgetSubmission | undefined {
	const part = message.parts.find(isWidgetSubmitPart);
	return part && isSubmission(part.data) ? part.data : undefined;
}

/**
 * The answer to a widget that answers a tool call: the call's output, once the message's tool part
 * for that call has one.
 */
export function toolCallSubmission(widget: WidgetPart, parts: readonly { type: string }[]): WidgetSubmission | undefined {
	const toolCallId = widget.data.toolCallId;
	if (!toolCallId) return undefined;
	const call = parts.find(
		(part): part is { type: string; toolCallId: string; state: string; output?: unknown } =>
			(part.type.startsWith('tool-') || part.type === 'dynamic-tool') && (part as { toolCallId?: unknown }).toolCallId === toolCallId
	);
	if (call?.state !== 'output-available') return undefined;
	return { widgetId: widget.id, type: widget.data.type, value: call.output };
}
