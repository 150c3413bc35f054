import type { PendingToolCall, RunEvent } from '../../runtime/events';
import type { TeamTasksChunk } from './schemas';

/** What the `started` line says beside the task id, known to the request rather than the run. */
export interface TeamTasksStart {
	id_team_agent: string;
	id_team: string;
	/** When the answer started, ISO 8601. */
	created_at: string;
}

/** What the translation remembers between events; never changed in place. */
export interface TeamTasksChunkState {
	readonly start: TeamTasksStart;
	/** Tool steps reported so far. */
	readonly steps: number;
	/** The name and input of each tool call seen, for the readable step lines. */
	readonly toolCalls: Readonly<Record<string, { toolName: string; input: unknown }>>;
	/** What the run stopped to wait for (client tool outputs, approvals). */
	readonly waitingFor: readonly PendingToolCall[];
	/** Whether the closing line (`finished`, `error` or `interrupted`) was produced. */
	readonly ended: boolean;
}

/** The state before the first event. */
export function initialTeamTasksState(start: TeamTasksStart): TeamTasksChunkState {
	return { start, steps: 0, toolCalls: {}, waitingFor: [], ended: false };
}

/** One translation: the line to send (none to drop the event) and the state after it. */
export interface TeamTasksTranslation {
	chunk: TeamTasksChunk | undefined;
	state: TeamTasksChunkState;
}

/** The longest JSON shown for a tool's input or output in a step line. */
const MAX_STEP_JSON = 300;

/** A value as short JSON for a step line. */
function shortJson(value: unknown): string {
	let text: string;
	try {
		text = JSON.stringify(value) ?? 'nothing';
	} catch {
		text = String(value);
	}
	return text.length > MAX_STEP_JSON ? `${text.slice(0, MAX_STEP_JSON - 1)}…` : text;
}

/** A readable description of a tool call: `calculator({"expression":"6*7"})`. */
function describeCall(state: TeamTasksChunkState, toolCallId: string): string {
	const call = state.toolCalls[toolCallId];
	if (!call) return 'A tool';
	return `${call.toolName}(${call.input === undefined ? '' : shortJson(call.input)})`;
}

/** The next numbered step line. */
function step(state: TeamTasksChunkState, content: string): TeamTasksTranslation {
	const next = state.steps + 1;
	return { chunk: { event: 'step', step: next, content }, state: { ...state, steps: next } };
}

/** The line ending the stream, and a state that remembers it was sent. */
function end(state: TeamTasksChunkState, chunk: TeamTasksChunk): TeamTasksTranslation {
	return { chunk, state: { ...state, ended: true } };
}

/** Why an answer that waits for the caller cannot go on over this protocol. */
export function awaitingInputReason(waitingFor: readonly PendingToolCall[]): string {
	const needs = waitingFor.map((call) => (call.approvalId ? `approval of ${call.toolName}` : `the result of ${call.toolName}`));
	const list = needs.length > 0 ? needs.join(', ') : 'tool results or approvals';
	return `The agent stopped to wait for ${list}, which this API cannot send. Answer it over the agent API or in the app.`;
}

/** Why an answer stopped before its end, when nothing more precise is known. */
export const INTERRUPTED_REASON = 'The answer was stopped before it finished.';

/**
 * Translates one run event into a line of the team-agent tasks stream (`api.md` §4):
 * `started` first; `text-chunk` and `reasoning-chunk` for the words; a numbered `step` for each
 * tool call's outcome; `loading` while the model or a server tool is working; and one closing
 * `finished`, `error` or `interrupted`. Client tools and approvals are not part of this protocol:
 * a run that waits for them ends as `interrupted` with a reason naming what it waits for.
 */
export function toTeamTasksChunk(event: RunEvent, state: TeamTasksChunkState): TeamTasksTranslation {
	const drop = { chunk: undefined, state };
	switch (event.type) {
		case 'run-start':
			return {
				chunk: {
					event: 'started',
					id_team_agent: state.start.id_team_agent,
					id_team: state.start.id_team,
					id_task: event.taskId,
					created_at: state.start.created_at
				},
				state
			};
		case 'step-start':
			// The model is thinking: nothing to show until its first token.
			return { chunk: { event: 'loading' }, state };
		case 'text-delta':
			return event.delta === '' ? drop : { chunk: { event: 'text-chunk', content: event.delta }, state };
		case 'reasoning-delta':
			return event.delta === '' ? drop : { chunk: { event: 'reasoning-chunk', content: event.delta }, state };
		case 'tool-call-start':
			return {
				chunk: undefined,
				state: { ...state, toolCalls: { ...state.toolCalls, [event.toolCallId]: { toolName: event.toolName, input: undefined } } }
			};
		case 'tool-call-ready': {
			const toolCalls = { ...state.toolCalls, [event.toolCallId]: { toolName: event.toolName, input: event.input } };
			// A server tool is running now; a client tool only ends the run.
			return { chunk: event.clientExecuted ? undefined : { event: 'loading' }, state: { ...state, toolCalls } };
		}
		case 'tool-call-invalid': {
			const toolCalls = { ...state.toolCalls, [event.toolCallId]: { toolName: event.toolName, input: event.input } };
			const next = { ...state, toolCalls };
			return step(next, `${describeCall(next, event.toolCallId)} was not run: ${event.errorText}`);
		}
		case 'tool-output':
			return step(state, `${describeCall(state, event.toolCallId)} returned ${shortJson(event.output)}`);
		case 'tool-error':
			return step(state, `${describeCall(state, event.toolCallId)} failed: ${event.errorText}`);
		case 'tool-denied':
			return step(state, `${describeCall(state, event.toolCallId)} was not approved`);
		case 'input-required':
			return { chunk: undefined, state: { ...state, waitingFor: event.toolCalls } };
		case 'run-end':
			switch (event.reason) {
				case 'completed':
				case 'limit':
					return end(state, { event: 'finished' });
				case 'interrupted':
					return end(state, { event: 'interrupted', reason: INTERRUPTED_REASON });
				case 'awaiting-input':
					return end(state, { event: 'interrupted', reason: awaitingInputReason(state.waitingFor) });
				default: {
					const unhandled: never = event.reason;
					throw new Error(`Unhandled run end reason ${JSON.stringify(unhandled)}`);
				}
			}
		case 'run-error':
			return end(state, { event: 'error', error: event.message });
		case 'text-start':
		case 'text-end':
		case 'reasoning-start':
		case 'reasoning-end':
		case 'tool-call-delta':
		case 'tool-approval-request':
		case 'step-end':
		case 'widget':
			return drop;
		default: {
			const unhandled: never = event;
			throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
		}
	}
}

/**
 * The closing line for a stream whose run ended without one (it should not happen, but the
 * protocol promises exactly one), or `undefined` when it was sent.
 */
export function closingChunk(state: TeamTasksChunkState): TeamTasksChunk | undefined {
	return state.ended ? undefined : { event: 'interrupted', reason: INTERRUPTED_REASON };
}

/** A file the agent produced: a data URL, or a link. */
export interface ProducedFile {
	name: string;
	mediaType: string;
	url: string;
}

/**
 * The media line for a file the agent produced: `image-chunk`, `video-chunk`, `audio-chunk` or
 * `document-chunk` by its type; a data URL is sent as its base64 content, anything else as a URL.
 * The runtime has no file event yet; this is the mapping for when it has one.
 */
export function toMediaChunk(file: ProducedFile): TeamTasksChunk {
	const kind = file.mediaType.toLowerCase().split('/')[0];
	const event = kind === 'image' ? 'image-chunk' : kind === 'video' ? 'video-chunk' : kind === 'audio' ? 'audio-chunk' : 'document-chunk';
	const base64 = file.url.match(/^data:[^,]*;base64,(.*)$/s);
	return {
		event,
		name: file.name,
		is_base64: base64 !== null,
		is_url: base64 === null,
		mime_type: file.mediaType,
		content: base64 ? base64[1] : file.url
	};
}
