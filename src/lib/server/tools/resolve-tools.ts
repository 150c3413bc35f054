import { jsonSchema, tool, type JSONSchema7, type ToolExecutionOptions, type ToolSet } from 'ai';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Tool } from '../db/schema';
import { builtinTools, type BuiltinExecute } from './builtin';
import { httpToolTimeoutMs, parseHttpToolConfig, runHttpTool } from './http-tool';
import { inputChecker, toolInputSchema } from './tool-input-schema';
import { formatDuration } from '../net/format-duration';
import type { ToolContext } from './tool-context';
import { isObject } from '../../is-object';
import { mcpModelOutput } from '../mcp/content';
import { mcpToolTitle, runMcpTool } from '../mcp/servers';

/** The time limit of a built-in tool's execution: 30 s. */
export const BUILTIN_TOOL_TIMEOUT_MS = 30_000;

/** What {@link resolveTools} needs besides the rows. */
export interface ResolveToolsOptions {
	config: Config;
	/** The task's context: its keys are hidden from the tools' schemas and injected into their input. */
	taskContext?: Record<string, unknown> | null;
	/** The run's database, for tools that read it (knowledge search). */
	db?: Db;
	/** The agent the tools belong to. */
	agentId?: number;
	/** The user the run is for (the task's owner). */
	userId?: string | null;
}

/** The top-level properties of an object schema that are keys of the context, i.e. filled by the server. */
function contextParameters(schema: Record<string, unknown>, contextKeys: Iterable<string>): string[] {
	const properties = isObject(schema.properties) ? schema.properties : {};
	return [...new Set(contextKeys)].filter((key) => Object.hasOwn(properties, key));
}

/**
 * A copy of an input schema without the top-level properties named in `contextKeys`: they are
 * removed from `properties` and `required` (an emptied `required` is dropped) and everything else
 * is kept as it is. The model then never sees, nor fills, the parameters the server injects.
 */
export function hideContextParameters(schema: Record<string, unknown>, contextKeys: Iterable<string>): Record<string, unknown> {
	const hidden = new Set(contextParameters(schema, contextKeys));
	if (hidden.size === 0 || !isObject(schema.properties)) return schema;
	const result: Record<string, unknown> = {
		...schema,
		properties: Object.fromEntries(Object.entries(schema.properties).filter(([key]) => !hidden.has(key)))
	};
	if (Array.isArray(schema.required)) {
		const required = schema.required.filter((key) => typeof key !== 'string' || !hidden.has(key));
		if (required.length > 0) result.required = required;
		else delete result.required;
	}
	return result;
}

/**
 * Runs `run` with a time limit, rejecting with `The tool "x" timed out after 30 s.` when it passes
 * (and with `The tool "x" was cancelled.` when `signal` aborts). The signal given to `run` aborts
 * in both cases, so the work can stop too.
 */
export async function runWithTimeout<T>(
	run: (signal: AbortSignal) => T | Promise<T>,
	options: { toolName: string; timeoutMs: number; signal?: AbortSignal }
): Promise<T> {
	const { toolName, timeoutMs } = options;
	const limit = new AbortController();
	const signal = options.signal ? AbortSignal.any([limit.signal, options.signal]) : limit.signal;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let onCancel: (() => void) | undefined;
	const stopped = new Promise<never>((_resolve, reject) => {
		// Rejecting before aborting makes the time-limit error win over whatever the aborted work throws.
		const stop = (error: Error) => {
			reject(error);
			limit.abort(error);
		};
		const timedOut = () => new Error(`The tool "${toolName}" timed out after ${formatDuration(timeoutMs)}.`);
		timer = setTimeout(() => stop(timedOut()), timeoutMs);
		onCancel = () => stop(new Error(`The tool "${toolName}" was cancelled.`));
		if (options.signal?.aborted) onCancel();
		else options.signal?.addEventListener('abort', onCancel, { once: true });
	});
	try {
		return await Promise.race([Promise.resolve().then(() => run(signal)), stopped]);
	} finally {
		clearTimeout(timer);
		if (onCancel) options.signal?.removeEventListener('abort', onCancel);
	}
}

/** How a server tool runs: its implementation and time limit. */
interface ServerTool {
	execute: BuiltinExecute;
	timeoutMs: number;
}

/** The implementation of a server-side tool row (a failing one for a broken or unknown tool). */
function serverToolOf(row: Tool, config: Config): ServerTool {
	const failing = (error: Error): ServerTool => ({
		execute: () => {
			throw error;
		},
		timeoutMs: BUILTIN_TOOL_TIMEOUT_MS
	});
	if (row.kind === 'http') {
		try {
			const config = parseHttpToolConfig(row.config, row.name);
			return {
				execute: (input, context) => runHttpTool(config, input, context),
				timeoutMs: httpToolTimeoutMs(config)
			};
		} catch (error) {
			return failing(error instanceof Error ? error : new Error(String(error)));
		}
	}
	if (row.kind === 'mcp') {
		return {
			execute: (input, context) => runMcpTool(context.db, context.config, row, input, context.signal, context.userId),
			// The call's own limit ends it first (and marks the server failing); connecting may come before it.
			timeoutMs: config.MCP_CONNECT_TIMEOUT_MS + config.MCP_TOOL_TIMEOUT_MS
		};
	}
	const builtin = Object.hasOwn(builtinTools, row.name) ? builtinTools[row.name] : undefined;
	if (!builtin) return failing(new Error(`No built-in tool is named "${row.name}".`));
	return { execute: builtin, timeoutMs: BUILTIN_TOOL_TIMEOUT_MS };
}

/** Anything thrown, as an Error the AI SDK reports to the model as a tool error. */
function asError(thrown: unknown): Error {
	return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/**
 * Turns an agent's tool rows into AI SDK tools. Built-in, HTTP and MCP tools run on the server, each
 * within its time limit (an HTTP tool's `timeout_ms`, an MCP tool's `MCP_TOOL_TIMEOUT_MS` after
 * connecting, else 30 s), and any error they throw reaches
 * the model as a tool error. Input properties named like keys of the task context are hidden from
 * the model and filled from the context. Client tools have no `execute`, so the run stops with the
 * call pending; tools that require approval pause the run for an answer first.
 *
 * Every input is checked against the tool's JSON Schema: the model's, by the AI SDK before the
 * call runs or waits for approval (an invalid call becomes a tool error naming the field, and
 * never runs); and once more in `execute`, with the context's values filled in, against the
 * whole schema, so that nothing reaches a server tool unchecked (an approved stored call too).
 */
export function resolveTools(rows: Tool[], options: ResolveToolsOptions): ToolSet {
	const taskContext = options.taskContext ?? {};
	const set: ToolSet = {};
	for (const row of rows) {
		if (row.kind === 'client') {
			set[row.name] = tool({
				description: row.description,
				inputSchema: toolInputSchema(row.name, row.inputSchema, { strict: false }),
				needsApproval: row.requiresApproval
			});
			continue;
		}
		const injectedKeys = contextParameters(row.inputSchema, Object.keys(taskContext));
		const injected = Object.fromEntries(injectedKeys.map((key) => [key, taskContext[key]]));
		const visibleSchema = hideContextParameters(row.inputSchema, injectedKeys);
		const server = serverToolOf(row, options.config);
		const checkFullInput = inputChecker(row.name, row.inputSchema, { strict: true });
		set[row.name] = tool({
			description: row.description,
			inputSchema: toolInputSchema(row.name, visibleSchema, { strict: true }),
			needsApproval: row.requiresApproval,
			// An MCP tool's content (text, images, resources) reaches the model as content parts,
			// and its calls are titled with its server's name.
			...(row.kind === 'mcp'
				? { title: mcpToolTitle(row), toModelOutput: ({ output }: { output: unknown }) => mcpModelOutput(output) }
				: {}),
			execute: async (input: Record<string, unknown>, { abortSignal }: ToolExecutionOptions) => {
				// The context wins over anything the model sent under a hidden name.
				const fullInput = { ...(isObject(input) ? input : {}), ...injected };
				const checked = checkFullInput(isObject(input) ? fullInput : input);
				if (!checked.success) throw new Error(`The tool "${row.name}" was not run: ${checked.error.message}`);
				const context = (signal: AbortSignal): ToolContext => ({
					config: options.config,
					signal,
					db: options.db,
					agentId: options.agentId,
					userId: options.userId,
					toolConfig: row.config
				});
				try {
					return await runWithTimeout((signal) => server.execute(fullInput, context(signal)), {
						toolName: row.name,
						timeoutMs: server.timeoutMs,
						signal: abortSignal
					});
				} catch (error) {
					throw asError(error);
				}
			}
		});
	}
	return set;
}

/**
 * The tools a caller defines for one request (OpenAI `tools`, assistant-ui frontend tools): the
 * model may call them and the caller runs them. Their schemas are shown to the model and never
 * compiled here: checking the input of its own tool is the caller's business, and compiling a
 * caller's schema would let any caller make the server run its regular expressions (`pattern`).
 */
export function resolveCallerTools(
	tools: readonly { name: string; description?: string; inputSchema: Record<string, unknown> }[]
): ToolSet {
	return Object.fromEntries(
		tools.map((callerTool) => [
			callerTool.name,
			tool({
				description: callerTool.description ?? '',
				inputSchema: jsonSchema<Record<string, unknown>>(callerTool.inputSchema as JSONSchema7)
			})
		])
	);
}
