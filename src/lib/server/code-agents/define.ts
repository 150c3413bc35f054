import { tool, type Tool, type ToolExecutionOptions, type UIMessage } from 'ai';
import { z } from 'zod';
import type { AgentVisibility } from '../db/schema';
import type { WidgetSubmission } from '$lib/widgets/contract';

/**
 * Agents defined in TypeScript. A module in `src/agents/` exports one {@link defineAgent} result
 * as its default export; it is registered at start-up, mirrored as a read-only agent row (so it
 * shows in the picker, in `/v1/models` and on every protocol face), and its tasks are stored like
 * any other.
 */

/** Who asks, as `createContext` sees it. */
export interface ContextRequest {
	/** The signed-in user who owns the task, if any. */
	user: { id: string; email: string; name: string | null; role: 'user' | 'admin' } | null;
	/** The anonymous caller's id, for a task of a public agent started without an account. */
	anonymousId: string | null;
	/** The task's id. */
	taskId: string;
}

/** What `createContext` gets besides the request. */
export interface ContextOptions {
	/** The context the caller gave with the task (the agent API's `context`, a chat's `context`), if any. */
	given: Record<string, unknown> | null;
}

/** A file of the task, as `respond` sees it. */
export interface TaskFile {
	id: string;
	name: string;
	mediaType: string;
	size: number;
	/** Whether its text has been read (`ready`), is being read (`pending`), cannot be (`failed`), or is not read (`none`). */
	extractionStatus: 'none' | 'pending' | 'ready' | 'failed';
}

/** Streams text into the answer. */
export interface AnswerWriter {
	/** Appends text to the answer, streamed to every viewer at once. */
	write(text: string): void;
	/** Everything written to the answer so far, by `write` and by the model. */
	readonly text: string;
}

/** What the model is asked in one call from `respond`. */
export interface CallModelOptions {
	/** Instructions added to the agent's system prompt for this call. */
	instructions?: string;
}

/** What `respond` works with. */
export interface RespondContext<Context> {
	task: { id: string; title: string };
	/** The task's context, as `createContext` made it (checked against the agent's `Context`). */
	context: Context;
	/** The task's messages, the new question last. */
	messages: UIMessage[];
	/** The text of the new question. */
	input: string;
	/** What a person chose in a widget, when the new question answers one. */
	submission: WidgetSubmission | null;
	/** The task's files. */
	files: TaskFile[];
	/** The text read from one of the task's files; null when it has none (yet). */
	getFileText(fileId: string): Promise<string | null>;
	/** The answer's text stream. */
	stream: AnswerWriter;
	/** Shows a widget in the answer (a `data-widget` part); returns its id. */
	displayWidget(type: string, data: unknown): string;
	/**
	 * Lets the agent's model answer (with the agent's tools, context parameters injected),
	 * streaming into the answer; resolves to the text it wrote.
	 */
	callModel(options?: CallModelOptions): Promise<string>;
	/** Aborts when the answer is stopped. */
	signal: AbortSignal;
}

/** A tool whose parameters named like the context's fields are filled from the task's context. */
export interface ContextTool<Input extends Record<string, unknown> = Record<string, unknown>, Output = unknown> {
	readonly kind: 'context-tool';
	readonly description: string;
	readonly inputSchema: z.ZodObject;
	/** The parameters filled from the context; by default every parameter named like one of its fields. */
	readonly keys: readonly string[] | undefined;
	readonly needsApproval: boolean;
	execute(input: Input, options: ToolExecutionOptions): Output | Promise<Output>;
}

/**
 * Marks a tool's parameters that come from the task's context: they are injected by name when the
 * tool runs and removed from the schema the model sees; the other parameters stay as they are.
 */
export function withContext<Schema extends z.ZodObject, Output>(
	definition: {
		description: string;
		inputSchema: Schema;
		execute(input: z.infer<Schema>, options: ToolExecutionOptions): Output | Promise<Output>;
		needsApproval?: boolean;
	},
	keys?: readonly (keyof z.infer<Schema> & string)[]
): ContextTool<z.infer<Schema>, Output> {
	return {
		kind: 'context-tool',
		description: definition.description,
		inputSchema: definition.inputSchema,
		keys,
		needsApproval: definition.needsApproval ?? false,
		execute: definition.execute
	};
}

/** Marks a tool whose call is answered by a person through a widget. */
export const WIDGET_TOOL = Symbol('parley.widget-tool');

/** A tool the model calls to ask a person through a widget; the value they submit is its output. */
export interface WidgetTool<Input = Record<string, unknown>> {
	readonly kind: 'widget-tool';
	readonly description: string;
	readonly inputSchema: z.ZodObject;
	/** The widget type shown for a call. */
	readonly widget: string;
	/** The widget's data for a call's input; by default the input itself. */
	readonly data: (input: Input) => unknown;
}

/**
 * A tool the model calls to ask the person something through a widget (a form, choices, a
 * picker): the answer pauses at the call, the chat shows the widget, and what the person submits
 * becomes the call's output, continuing the same answer.
 */
export function widgetTool<Schema extends z.ZodObject>(definition: {
	description: string;
	inputSchema: Schema;
	widget: string;
	data?: (input: z.infer<Schema>) => unknown;
}): WidgetTool<z.infer<Schema>> {
	return {
		kind: 'widget-tool',
		description: definition.description,
		inputSchema: definition.inputSchema,
		widget: definition.widget,
		data: definition.data ?? ((input) => input)
	};
}

/** The widget a tool's calls show, for tools made by {@link widgetTool}. */
export function widgetOfTool(value: unknown): { type: string; data: (input: unknown) => unknown } | undefined {
	return (value as { [WIDGET_TOOL]?: { type: string; data: (input: unknown) => unknown } } | undefined)?.[WIDGET_TOOL];
}

/** A tool of a code agent: an AI SDK tool, one with context parameters, or one a widget answers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CodeAgentTool = Tool<any, any> | ContextTool<any, any> | WidgetTool<any>;

/** How an agent module describes its agent. */
export interface CodeAgentDefinition<ContextSchema extends z.ZodObject = z.ZodObject> {
	/** A path-like id, its slug everywhere: `support`, `sales.premium`. Defaults to the module's path. */
	id?: string;
	name: string;
	description?: string;
	/** `provider:model`; by default the server's default model. */
	model?: string;
	systemPrompt?: string;
	temperature?: number;
	maxSteps?: number;
	maxRunSeconds?: number;
	/** Who may use it; `users` by default. */
	visibility?: AgentVisibility;
	/** The shape of a task's context. */
	Context?: ContextSchema;
	/** Makes a task's context, once, before its first answer. */
	createContext?(request: ContextRequest, options: ContextOptions): z.input<ContextSchema> | Promise<z.input<ContextSchema>>;
	tools?: Record<string, CodeAgentTool>;
	/** Answers the new question; by default the model answers (`callModel`). A returned string is written when nothing else was. */
	respond?(context: RespondContext<z.infer<ContextSchema>>): Promise<string | void> | string | void;
}

/** Declares an agent in code; a module in `src/agents/` exports the result as its default export. */
export function defineAgent<ContextSchema extends z.ZodObject = z.ZodObject>(
	definition: CodeAgentDefinition<ContextSchema>
): CodeAgentDefinition<ContextSchema> {
	return definition;
}

function isContextTool(value: CodeAgentTool): value is ContextTool {
	return (value as ContextTool).kind === 'context-tool';
}

function isWidgetTool(value: CodeAgentTool): value is WidgetTool {
	return (value as WidgetTool).kind === 'widget-tool';
}

/** The parameters of a context tool that are filled from the context. */
export function injectedKeys(definition: ContextTool, contextKeys: readonly string[]): string[] {
	const parameters = Object.keys(definition.inputSchema.shape);
	const wanted = definition.keys ?? contextKeys;
	return parameters.filter((key) => wanted.includes(key) && contextKeys.includes(key));
}

/**
 * The tools as the model sees them: context tools lose their injected parameters (the rest of
 * their schema is kept as it is) and get them back from `context` when they run.
 */
export function toolsFor(
	definitions: Record<string, CodeAgentTool>,
	contextKeys: readonly string[],
	context: Record<string, unknown>
): Record<string, Tool> {
	return Object.fromEntries(
		Object.entries(definitions).map(([name, definition]) => {
			if (isWidgetTool(definition)) {
				// No `execute`: the call waits for the person, like any client tool.
				const asked = tool({ description: definition.description, inputSchema: definition.inputSchema });
				Object.defineProperty(asked, WIDGET_TOOL, {
					value: { type: definition.widget, data: definition.data },
					enumerable: true
				});
				return [name, asked as Tool];
			}
			if (!isContextTool(definition)) return [name, definition as Tool];
			const keys = injectedKeys(definition, contextKeys);
			const mask = Object.fromEntries(keys.map((key) => [key, true])) as Record<string, true>;
			const visible = definition.inputSchema.omit(mask);
			return [
				name,
				tool({
					description: definition.description,
					inputSchema: visible,
					needsApproval: definition.needsApproval,
					execute: (input: Record<string, unknown>, options: ToolExecutionOptions) => {
						const injected = Object.fromEntries(keys.map((key) => [key, context[key]]));
						return definition.execute(definition.inputSchema.parse({ ...input, ...injected }), options);
					}
				}) as Tool
			];
		})
	);
}
