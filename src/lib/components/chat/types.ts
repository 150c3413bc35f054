import type { WidgetData, WidgetSubmission } from '$lib/widgets/contract';

/** What the server stored about a message beside its parts. */
export interface StoredMessageInfo {
	status?: 'complete' | 'streaming' | 'interrupted' | 'error';
	error?: string | null;
	model?: string | null;
	/** The ids of the message's versions, itself included, when it has more than one. */
	versions?: string[];
}

/** How a person answers tool calls that wait for them. */
export interface ToolAnswers {
	/** Sends the output of a client tool. */
	output(toolName: string, toolCallId: string, output: unknown): void;
	/** Approves or denies a call that needs approval. */
	approve(approvalId: string, approved: boolean): void;
}

/** How a person answers the widgets of the last answer. */
export interface WidgetAnswers {
	/**
	 * Sends what a person submitted to a widget: as its tool call's output when the widget answers
	 * one, else as a new message of the label and the submission.
	 */
	submit(widget: WidgetData, submission: WidgetSubmission, label: string): void;
}

/** What a person can do with a message once nothing streams. */
export interface MessageActions {
	/** Asks again for an answer (by default the last): the new answer is a new version of it. */
	regenerate(messageId?: string): void;
	/** Asks a question again with a new text: a new version of it, answered anew. */
	edit(messageId: string, text: string): void;
	/** Shows another version of a message, and the conversation that followed it. */
	showVersion(messageId: string): void;
	/** After a failed request: sends the last question again, or asks again for the last answer. */
	retry(): void;
}

/** The context key of {@link ChatViewer}. */
export const CHAT_VIEWER = 'parley:chat-viewer';

/** Who reads the chat, for what tool cards offer (a "Connect" to an MCP server that needs sign-in). */
export interface ChatViewer {
	/** Whether someone is signed in. */
	readonly signedIn: boolean;
	/** Whether they are an admin (who signs in to a shared MCP connection). */
	readonly isAdmin: boolean;
}
