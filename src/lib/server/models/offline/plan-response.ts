import type { LanguageModelV3CallOptions, LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import { attachmentsOf, describeAttachments } from './attachments';
import { describeSearchResult, searchToolOf } from './knowledge-search';
import { paceOf, type Pace } from './pace';
import { asksQuestion, introReasoning, plainReply } from './plain-reply';
import { countToolCalls, lastUserMessage, userText, type ToolMessage } from './read-prompt';
import { isObject } from '../../../is-object';
import { schemaValue } from './schema-value';
import { joinNames, plural, unique, wordDeltas, words } from './text';
import { extractArguments } from './tool-arguments';
import { availableTools, missingArgumentsRequest, namedTools, quoteNames, resolveToolInput } from './tool-requests';
import { describeToolResult } from './tool-results';

/**
 * What the offline model says to one call, decided from the prompt: the reasoning, the text and
 * the tool calls, before any of it is streamed.
 */

/** A tool call the offline model decided to make. */
export interface PlannedToolCall {
	toolCallId: string;
	toolName: string;
	/** The JSON-encoded arguments. */
	input: string;
}

/** Everything the offline model answers to one call, before it is streamed. */
export interface Plan {
	reasoning: string;
	text: string;
	toolCalls: PlannedToolCall[];
	/** How fast it streams, when the user asked for a pace (./pace.ts). */
	pace?: Pace;
	/** Set when the output limit cut the answer short. */
	truncated?: boolean;
}

/**
 * Decides the reasoning, the text and the tool calls for one call, as the call's settings ask:
 * a tool choice that requires a call gets one, a JSON response format a JSON text, and the
 * output limit cuts the answer.
 */
export function planResponse(options: LanguageModelV3CallOptions): Plan {
	const last = options.prompt.at(-1);
	const plan = last?.role === 'tool' ? planToolResultAnswer(last) : planUserAnswer(options);
	return limitPlan(asJson(forceToolCall(plan, options), options), options.maxOutputTokens);
}

/**
 * A plan that calls a tool when the tool choice requires one and the prompt asked for none: the
 * named tool (the only one available), else the first, with the arguments the message gives and
 * the missing required ones built from the tool's schema.
 */
function forceToolCall(plan: Plan, options: LanguageModelV3CallOptions): Plan {
	const choice = options.toolChoice?.type;
	if ((choice !== 'required' && choice !== 'tool') || plan.toolCalls.length > 0) return plan;
	const [tool] = availableTools(options);
	if (!tool) return plan;
	const message = lastUserMessage(options.prompt);
	const text = message ? userText(message) : '';
	const request = resolveToolInput(tool, extractArguments(text));
	const sample = schemaValue(tool.inputSchema, text);
	const input = { ...request.input };
	for (const key of request.missing) input[key] = isObject(sample) ? sample[key] : text;
	const intro = `Let me use the ${tool.name} tool.`;
	return {
		reasoning: `${plan.reasoning} I must call a tool, so I will call the ${tool.name} tool.`,
		text: options.prompt.at(-1)?.role === 'tool' ? `${plan.text}\n\n${intro}` : intro,
		toolCalls: [{ toolCallId: `call_${countToolCalls(options.prompt) + 1}`, toolName: tool.name, input: JSON.stringify(input) }],
		pace: plan.pace
	};
}

/**
 * With a JSON response format, the answer is JSON matching the format's schema (strings from the
 * question's words), or `{"answer": …}` without one; a step that calls tools writes no text.
 */
function asJson(plan: Plan, options: LanguageModelV3CallOptions): Plan {
	const format = options.responseFormat;
	if (format?.type !== 'json') return plan;
	if (plan.toolCalls.length > 0) return { ...plan, text: '' };
	const message = lastUserMessage(options.prompt);
	const value = format.schema ? schemaValue(format.schema, message ? userText(message) : '') : { answer: plan.text };
	return { ...plan, reasoning: `${plan.reasoning} I will answer in JSON.`, text: JSON.stringify(value, null, 2) };
}

/**
 * The plan cut to `limit` output tokens (one per word), in the order it streams: reasoning, then
 * text; a cut answer makes no tool calls.
 */
function limitPlan(plan: Plan, limit: number | undefined): Plan {
	if (limit === undefined) return plan;
	const reasoningWords = words(plan.reasoning).length;
	const textWords = words(plan.text).length;
	const toolWords = plan.toolCalls.reduce((sum, call) => sum + words(call.input).length, 0);
	if (reasoningWords + textWords + toolWords <= limit) return plan;
	const keepReasoning = Math.min(reasoningWords, limit);
	return {
		...plan,
		reasoning: leadingWords(plan.reasoning, keepReasoning),
		text: leadingWords(plan.text, limit - keepReasoning),
		toolCalls: [],
		truncated: true
	};
}

/** The first `count` words of `text`, with their spacing. */
function leadingWords(text: string, count: number): string {
	return wordDeltas(text).slice(0, count).join('').trimEnd();
}

/** Second step of a tool run: quotes every tool result and calls no tool. */
function planToolResultAnswer(message: ToolMessage): Plan {
	const results = message.content.filter((part): part is LanguageModelV3ToolResultPart => part.type === 'tool-result');
	if (results.length === 0) {
		return {
			reasoning: 'The tool step finished without results. I will say so.',
			text: 'The tools finished without returning a result.',
			toolCalls: []
		};
	}
	const toolNames = unique(results.map((result) => result.toolName));
	const names = joinNames(toolNames);
	const reasoning =
		results.length === 1
			? `I received the result of the ${names} tool. I will report it to the user.`
			: `I received the results of the ${names} ${plural(toolNames.length, 'tool')}. I will report them to the user.`;
	const answers = results.map(
		(result) => (result.output.type === 'json' && describeSearchResult(result.toolName, result.output.value)) || describeToolResult(result)
	);
	return { reasoning, text: answers.join(' '), toolCalls: [] };
}

/** Answers the last user message: tool calls, a request for missing arguments, or a plain reply. */
function planUserAnswer(options: LanguageModelV3CallOptions): Plan {
	const message = lastUserMessage(options.prompt);
	const text = message ? userText(message) : '';
	const files = message ? attachmentsOf(message) : [];
	const attachments = files.length > 0 ? [describeAttachments(files)] : [];

	const functionTools = availableTools(options);
	const tools = namedTools(text, functionTools);
	const args = tools.length > 0 ? extractArguments(text) : {};
	// A question to an agent that can search its knowledge is searched with the question's words.
	const search = tools.length === 0 && asksQuestion(text) ? searchToolOf(functionTools) : undefined;
	if (search) tools.push(search);
	const requests = tools.map((tool) => resolveToolInput(tool, search ? { query: text.trim() } : args));
	const ready = requests.filter((request) => request.missing.length === 0);
	const incomplete = requests.filter((request) => request.missing.length > 0);

	const reasoning = [introReasoning(text, files.length)];
	const blocks = [...attachments];
	let toolCalls: PlannedToolCall[] = [];

	if (ready.length > 0) {
		const names = joinNames(ready.map((request) => request.tool.name));
		const tool = plural(ready.length, 'tool');
		reasoning.push(`I will call the ${names} ${tool}.`);
		blocks.push(`Let me use the ${names} ${tool}.`);
		const firstId = countToolCalls(options.prompt) + 1;
		toolCalls = ready.map((request, index) => ({
			toolCallId: `call_${firstId + index}`,
			toolName: request.tool.name,
			input: JSON.stringify(request.input)
		}));
	}
	for (const request of incomplete) {
		reasoning.push(
			`The ${request.tool.name} tool needs ${quoteNames(request.missing)}, so I will ask for ${request.missing.length === 1 ? 'it' : 'them'}.`
		);
		blocks.push(missingArgumentsRequest(request.tool.name, request.missing));
	}
	if (requests.length === 0) {
		const reply = plainReply(text, files.length);
		reasoning.push(reply.reasoning);
		blocks.push(reply.text);
	}
	return { reasoning: reasoning.join(' '), text: blocks.join('\n\n'), toolCalls, pace: paceOf(text) };
}
