import type { ProviderMetadata, UIMessage } from 'ai';
import { WIDGET_PART_TYPE } from '$lib/widgets/contract';
import type { ToolState } from '$lib/tool-state-labels';
import type { RunEvent } from './events';
import { textOf } from '../../text-of';

type Part = UIMessage['parts'][number];

/** A tool part as stored, whatever the tool's name. */
export interface ToolPart {
	type: `tool-${string}`;
	toolCallId: string;
	state: ToolState;
	input?: unknown;
	/** The input of a call that failed validation. */
	rawInput?: unknown;
	output?: unknown;
	errorText?: string;
	approval?: { id: string; approved?: boolean; reason?: string };
	/** What the provider attached to the call (a Gemini thought signature, an OpenAI item id); sent back with it. */
	callProviderMetadata?: ProviderMetadata;
}

/** A text or reasoning part being built. */
interface OpenPart {
	text: string;
	state: 'streaming' | 'done';
	providerMetadata?: ProviderMetadata;
}

/** Whether a stored part is a tool call. */
export function isToolPart(part: Part | ToolPart): part is ToolPart {
	return part.type.startsWith('tool-') && 'toolCallId' in part;
}

/**
 * Builds the parts of an assistant message from run events, as the AI SDK's UI message stream
 * reader builds them on the client, so that what is stored is what the browser showed.
 */
export class MessagePartsBuilder {
	readonly parts: (Part | ToolPart)[];
	private readonly open = new Map<string, OpenPart>();

	constructor(initial: UIMessage['parts'] = []) {
		this.parts = structuredClone(initial);
	}

	/**
	 * Applies one event, with what the provider attached to the stream part it came from. That
	 * metadata is kept as the AI SDK's reader keeps it — on text and reasoning parts (an
	 * Anthropic thinking signature, an OpenAI reasoning item), on tool calls as
	 * `callProviderMetadata` (a Gemini thought signature) — so that a later turn sends the
	 * provider back exactly what it needs.
	 */
	apply(event: RunEvent, providerMetadata?: ProviderMetadata): void {
		switch (event.type) {
			case 'step-start':
				this.parts.push({ type: 'step-start' });
				break;
			case 'text-start':
			case 'reasoning-start': {
				const kind = event.type === 'text-start' ? 'text' : 'reasoning';
				const part: OpenPart & { type: string } = {
					type: kind,
					text: '',
					state: 'streaming',
					...(providerMetadata ? { providerMetadata } : {})
				};
				this.parts.push(part as Part);
				this.open.set(`${kind}:${event.id}`, part);
				break;
			}
			case 'text-delta':
			case 'reasoning-delta': {
				const part = this.open.get(`${event.type === 'text-delta' ? 'text' : 'reasoning'}:${event.id}`);
				if (part) {
					part.text += event.delta;
					if (providerMetadata) part.providerMetadata = providerMetadata;
				}
				break;
			}
			case 'text-end':
			case 'reasoning-end': {
				const key = `${event.type === 'text-end' ? 'text' : 'reasoning'}:${event.id}`;
				const part = this.open.get(key);
				if (part) {
					part.state = 'done';
					if (providerMetadata) part.providerMetadata = providerMetadata;
				}
				this.open.delete(key);
				break;
			}
			case 'tool-call-start':
				this.parts.push({
					type: `tool-${event.toolName}`,
					toolCallId: event.toolCallId,
					state: 'input-streaming',
					input: undefined,
					...(providerMetadata ? { callProviderMetadata: providerMetadata } : {})
				});
				break;
			case 'tool-call-delta':
				break;
			case 'tool-call-ready':
				this.upsertTool(event.toolCallId, event.toolName, {
					state: 'input-available',
					input: event.input,
					...(event.title ? { title: event.title } : {}),
					...(providerMetadata ? { callProviderMetadata: providerMetadata } : {})
				});
				break;
			case 'tool-call-invalid':
				// As the AI SDK's reader stores it: the unparsed input apart, so it is never taken as valid.
				this.upsertTool(event.toolCallId, event.toolName, {
					state: 'output-error',
					input: undefined,
					rawInput: event.input,
					errorText: event.errorText,
					...(providerMetadata ? { callProviderMetadata: providerMetadata } : {})
				});
				break;
			case 'tool-approval-request':
				this.updateTool(event.toolCallId, { state: 'approval-requested', approval: { id: event.approvalId } });
				break;
			case 'tool-output':
				this.updateTool(event.toolCallId, { state: 'output-available', output: event.output });
				break;
			case 'tool-error':
				this.updateTool(event.toolCallId, { state: 'output-error', errorText: event.errorText });
				break;
			case 'tool-denied':
				this.updateTool(event.toolCallId, { state: 'output-denied' });
				break;
			case 'widget':
				this.parts.push({ type: WIDGET_PART_TYPE, id: event.id, data: event.widget } as Part);
				break;
			case 'run-start':
			case 'step-end':
			case 'input-required':
			case 'run-end':
			case 'run-error':
				break;
			default: {
				const unhandled: never = event;
				throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
			}
		}
	}

	/** Marks every part still streaming as done, for a run that ended early. */
	closeOpenParts(): void {
		for (const part of this.open.values()) part.state = 'done';
		this.open.clear();
	}

	/** The concatenated answer text. */
	get text(): string {
		return textOf(this.parts, '');
	}

	/** A copy of the parts, safe to store. */
	snapshot(): UIMessage['parts'] {
		return structuredClone(this.parts) as UIMessage['parts'];
	}

	private findTool(toolCallId: string): ToolPart | undefined {
		for (let index = this.parts.length - 1; index >= 0; index--) {
			const part = this.parts[index];
			if (isToolPart(part) && part.toolCallId === toolCallId) return part;
		}
		return undefined;
	}

	private updateTool(toolCallId: string, changes: Partial<ToolPart>): void {
		const part = this.findTool(toolCallId);
		if (part) Object.assign(part, changes);
	}

	private upsertTool(toolCallId: string, toolName: string, changes: Partial<ToolPart>): void {
		if (this.findTool(toolCallId)) this.updateTool(toolCallId, changes);
		else this.parts.push({ type: `tool-${toolName}`, toolCallId, state: 'input-available', ...changes });
	}
}
