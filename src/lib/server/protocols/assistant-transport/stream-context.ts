import type { RunEvent } from '../../runtime/events';

/** What a chunk mapping needs to know about an event beyond the event itself. */
export interface ChunkContext {
	/** The id of the answer (from `run-start`). */
	messageId: string;
	/**
	 * The index of the event's part in the message this stream builds (the `path` of
	 * assistant-transport chunks); undefined when the part was not opened in this stream, as for
	 * the calls of an earlier request that a continuation answers.
	 */
	partIndex: number | undefined;
	/** The event opens its part: a text or reasoning start, or a tool call first seen here. */
	opensPart: boolean;
	/** For a finished tool call: its arguments were streamed as text before. */
	argsStreamed: boolean;
	/** For `step-end`: the step called tools. */
	stepCalledTools: boolean;
}

/**
 * Follows one stream's events to give each its {@link ChunkContext}: which part of the streamed
 * message it belongs to (parts are counted from 0 in the order they open), and what came before.
 * One instance per response.
 */
export class StreamContext {
	private messageId = '';
	private partCount = 0;
	private readonly parts = new Map<string, { index: number; argsStreamed: boolean }>();
	private stepCalledTools = false;

	/** The context of the next event; call once per event, in order. */
	next(event: RunEvent): ChunkContext {
		const context: ChunkContext = {
			messageId: this.messageId,
			partIndex: undefined,
			opensPart: false,
			argsStreamed: false,
			stepCalledTools: false
		};
		switch (event.type) {
			case 'run-start':
				this.messageId = event.messageId;
				context.messageId = event.messageId;
				break;
			case 'step-start':
				this.stepCalledTools = false;
				break;
			case 'text-start':
			case 'reasoning-start':
				Object.assign(context, this.open(`${event.type.split('-')[0]}:${event.id}`));
				break;
			case 'text-delta':
			case 'text-end':
			case 'reasoning-delta':
			case 'reasoning-end':
				context.partIndex = this.parts.get(`${event.type.split('-')[0]}:${event.id}`)?.index;
				break;
			case 'tool-call-start':
				this.stepCalledTools = true;
				Object.assign(context, this.open(`tool:${event.toolCallId}`));
				break;
			case 'tool-call-delta': {
				const part = this.parts.get(`tool:${event.toolCallId}`);
				if (part) part.argsStreamed = true;
				context.partIndex = part?.index;
				break;
			}
			case 'tool-call-ready':
			case 'tool-call-invalid': {
				this.stepCalledTools = true;
				const part = this.parts.get(`tool:${event.toolCallId}`);
				if (part) {
					context.partIndex = part.index;
					context.argsStreamed = part.argsStreamed;
				} else {
					Object.assign(context, this.open(`tool:${event.toolCallId}`));
				}
				break;
			}
			case 'tool-approval-request':
			case 'tool-output':
			case 'tool-error':
			case 'tool-denied':
				context.partIndex = this.parts.get(`tool:${event.toolCallId}`)?.index;
				break;
			case 'step-end':
				context.stepCalledTools = this.stepCalledTools;
				break;
			case 'input-required':
			case 'widget':
			case 'run-end':
			case 'run-error':
				break;
			default: {
				const unhandled: never = event;
				throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
			}
		}
		return context;
	}

	/** Opens a new part under a key (a text id is reused by later steps: the newest part wins). */
	private open(key: string): Pick<ChunkContext, 'partIndex' | 'opensPart'> {
		const index = this.partCount++;
		this.parts.set(key, { index, argsStreamed: false });
		return { partIndex: index, opensPart: true };
	}
}
