import type {
	LanguageModelV3Content,
	LanguageModelV3FinishReason,
	LanguageModelV3Message,
	LanguageModelV3Prompt,
	LanguageModelV3StreamPart,
	LanguageModelV3Usage
} from '@ai-sdk/provider';
import type { Plan } from './plan-response';
import { wordDeltas, words } from './text';
import { outputText } from './tool-results';

/** A plan as the AI SDK wants it: content, stream parts, finish reason, usage and response metadata. */

/** The plan as `doGenerate` content. */
export function planContent(plan: Plan): LanguageModelV3Content[] {
	const content: LanguageModelV3Content[] = plan.reasoning ? [{ type: 'reasoning', text: plan.reasoning }] : [];
	if (plan.text) content.push({ type: 'text', text: plan.text });
	for (const call of plan.toolCalls) content.push({ type: 'tool-call', ...call });
	return content;
}

/** The plan as stream parts: reasoning, then text, then tool calls, one word per delta. */
export function planStreamParts(plan: Plan): LanguageModelV3StreamPart[] {
	const parts: LanguageModelV3StreamPart[] = plan.reasoning
		? [
				{ type: 'reasoning-start', id: 'reasoning-0' },
				...wordDeltas(plan.reasoning).map((delta): LanguageModelV3StreamPart => ({ type: 'reasoning-delta', id: 'reasoning-0', delta })),
				{ type: 'reasoning-end', id: 'reasoning-0' }
			]
		: [];
	if (plan.text) {
		parts.push(
			{ type: 'text-start', id: 'text-0' },
			...wordDeltas(plan.text).map((delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 'text-0', delta })),
			{ type: 'text-end', id: 'text-0' }
		);
	}
	for (const call of plan.toolCalls) {
		parts.push(
			{ type: 'tool-input-start', id: call.toolCallId, toolName: call.toolName },
			{ type: 'tool-input-delta', id: call.toolCallId, delta: call.input },
			{ type: 'tool-input-end', id: call.toolCallId },
			{ type: 'tool-call', ...call }
		);
	}
	return parts;
}

/** `length` when the output limit cut the plan, `tool-calls` when it calls a tool, else `stop`. */
export function finishReasonOf(plan: Plan): LanguageModelV3FinishReason {
	if (plan.truncated) return { unified: 'length', raw: undefined };
	return { unified: plan.toolCalls.length > 0 ? 'tool-calls' : 'stop', raw: undefined };
}

/** Deterministic usage: one token per whitespace-separated word. */
export function usageOf(prompt: LanguageModelV3Prompt, plan: Plan): LanguageModelV3Usage {
	const input = prompt.reduce((sum, message) => sum + words(messageText(message)).length, 0);
	const text = words(plan.text).length;
	const reasoning = words(plan.reasoning).length;
	const toolInput = plan.toolCalls.reduce((sum, call) => sum + words(call.input).length, 0);
	return {
		inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
		outputTokens: { total: text + reasoning + toolInput, text, reasoning }
	};
}

/** All text of a message, for counting input tokens. */
function messageText(message: LanguageModelV3Message): string {
	if (message.role === 'system') return message.content;
	return message.content
		.map((part) => {
			switch (part.type) {
				case 'text':
				case 'reasoning':
					return part.text;
				case 'tool-call':
					return typeof part.input === 'string' ? part.input : JSON.stringify(part.input);
				case 'tool-result':
					return outputText(part.output);
				default:
					return '';
			}
		})
		.join(' ');
}

/** Response metadata; the id is a hash of the prompt, so it is deterministic too. */
export function responseMetadata(prompt: LanguageModelV3Prompt, modelId: string) {
	return { id: `offline-${hashPrompt(prompt)}`, modelId, timestamp: new Date() };
}

/** FNV-1a hash (hex) of the prompt's JSON, with binary data reduced to its length. */
function hashPrompt(prompt: LanguageModelV3Prompt): string {
	const json = JSON.stringify(prompt, (_key, value: unknown) => (value instanceof Uint8Array ? `bytes:${value.length}` : value));
	let hash = 0x811c9dc5;
	for (let i = 0; i < json.length; i++) {
		hash ^= json.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}
