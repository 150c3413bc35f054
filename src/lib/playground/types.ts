/** The wire formats the playground can speak. */
export type ProtocolId =
	| 'ui-stream'
	| 'agent-api'
	| 'assistant-data-stream'
	| 'assistant-transport'
	| 'team-tasks'
	| 'openai'
	| 'openai-responses'
	| 'ag-ui'
	| 'a2a';

/** The agent a request goes to, as the pages list it. */
export interface AgentRef {
	id: number;
	slug: string;
	name: string;
}

/** A request body: JSON, multipart form fields (text only), or none. */
export type RequestBody = { kind: 'json'; value: unknown } | { kind: 'form'; fields: [name: string, value: string][] } | { kind: 'none' };

/** One HTTP request the playground sends, described fully enough to replay it with curl. */
export interface PlaygroundRequest {
	method: 'POST';
	/** A path on the same origin, with its query. */
	url: string;
	/** Header names in lower case; never cookies (the browser adds the session itself). */
	headers: Record<string, string>;
	body: RequestBody;
}

/** One event of a response body, as it arrived. */
export interface RawEvent {
	/** Position in its response, from 0. */
	seq: number;
	/** Milliseconds since the request started when the chunk holding the event's end arrived. */
	at: number;
	/** What kind of event it is: the SSE event name, the JSON `type`, the data stream code… */
	type: string;
	/** A finer label shown beside the type (the Responses event inside `openai_event`, a delta kind). */
	detail?: string;
	/** The event's text as it arrived, without the line break or blank line that ended it. */
	raw: string;
	/** The payload without its framing (`data:` lines joined, the text after `code:`). */
	payload: string;
	/** The payload parsed as JSON, when it is JSON. */
	data?: unknown;
	/** The payload in short for the one-line view, without what the type and detail already say. */
	preview?: string;
}

/** Splits a response body into events as its chunks arrive; keeps unfinished text between chunks. */
export interface EventParser {
	/** The events that `text` completes, stamped with the time `at` (ms since the request started). */
	parseChunk(text: string, at?: number): RawEvent[];
	/** Whatever the body's end completes: a last line without a line break. */
	flush(at?: number): RawEvent[];
}

/** How far a tool call got, as the rendered answer shows it. */
export type ToolState =
	| 'input-streaming'
	| 'input-available'
	| 'approval-requested'
	| 'output-available'
	| 'output-error'
	| 'output-denied'
	/** Ran on the server, whose protocol does not stream tool results (agent API). */
	| 'executed';

/** A tool call in a rendered answer. */
export interface ToolPart {
	type: 'tool';
	toolCallId: string;
	toolName: string;
	/** The arguments as JSON text, as they streamed. */
	inputText: string;
	/** The arguments, once complete. */
	input?: unknown;
	output?: unknown;
	errorText?: string;
	state: ToolState;
	/** Set when the call waits for approval (UI stream, assistant transport). */
	approvalId?: string;
}

/** One piece of a rendered answer. */
export type AnswerPart =
	| { type: 'text'; text: string }
	| { type: 'reasoning'; text: string }
	| ToolPart
	/** A line the protocol sends about the run (a team-agent `step`, a produced file). */
	| { type: 'note'; text: string };

/** Where an answer stands. */
export type AnswerStatus = 'streaming' | 'completed' | 'requires-action' | 'interrupted' | 'error';

/** A tool call the answer waits on: the caller runs it (or approves it) and posts the output back. */
export interface PendingCall {
	toolCallId: string;
	toolName: string;
	input: unknown;
	/** The arguments as JSON text. */
	argumentsText: string;
	/** The call waits for `{"approved": true|false}` rather than an output. */
	requiresApproval: boolean;
	/** The approval request's id, where the protocol has one (UI stream). */
	approvalId?: string;
}

/** The rendered view of one response, built event by event. */
export interface AnswerState {
	parts: AnswerPart[];
	status: AnswerStatus;
	/** The protocol's own finish reason (`stop`, `tool-calls`, `tool_calls`, `completed`…). */
	finishReason?: string;
	/** An error the stream reported. */
	error?: string;
	/** Why the answer stopped early, when the protocol says. */
	notice?: string;
	/** Calls waiting for the caller, once the answer ended needing them. */
	pending: PendingCall[];
	/** The conversation's id as the stream names it (session, thread, task). */
	taskId?: string;
	/** The answer's message id, where the stream names it. */
	messageId?: string;
	/** Token counts, where the stream reports them. */
	usage?: unknown;
	/** Index in `parts` of each open part, by the protocol's key (text id, call id, item id…). */
	keys: Record<string, number>;
	/** assistant-ui's thread state, kept current by its state operations (assistant transport). */
	threadState?: Record<string, unknown>;
}

/** A message of the UI stream's history, in the AI SDK's UIMessage shape. */
export interface UiMessage {
	id: string;
	role: 'user' | 'assistant';
	parts: Record<string, unknown>[];
}

/** A message of an OpenAI Chat Completions history. */
export type OpenAIMessage =
	| { role: 'user'; content: string }
	| {
			role: 'assistant';
			content: string | null;
			tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
	  }
	| { role: 'tool'; tool_call_id: string; content: string };

/**
 * What the playground keeps between requests of one protocol, so that follow-ups continue the
 * same task. Protocols whose server keeps the history only need the task id; the UI stream and
 * /v1 resend the history the client knows, as their real clients do.
 */
export type PlaygroundSession =
	| { kind: 'ui-stream'; taskId: string; messages: UiMessage[] }
	| { kind: 'openai'; taskId: string | null; messages: OpenAIMessage[] }
	| { kind: 'task'; taskId: string | null }
	/** `/v1/responses` keeps the history: the next request names the last response. */
	| { kind: 'responses'; taskId: string | null; previousResponseId: string | null }
	/** AG-UI: the thread is the task, its id chosen by the client; stopping cancels the last run. */
	| { kind: 'ag-ui'; taskId: string; agent: string | null; runId: string | null }
	/** A2A: the task's id is proposed by the client as the first message's `contextId`; stopping cancels the task. */
	| { kind: 'a2a'; taskId: string; agent: string | null };

/** A request and the session as it stands once that request succeeds. */
export interface PreparedRequest {
	request: PlaygroundRequest;
	session: PlaygroundSession;
}

/** What a protocol says about itself in the page. */
export interface ProtocolInfo {
	id: ProtocolId;
	label: string;
	/** The method and path shown beside the picker. */
	endpoint: string;
	/** One sentence on what the format is. */
	description: string;
	/** What the protocol calls a conversation (task, session, thread). */
	sessionName: string;
	/** Whether the protocol can send a client tool's output back. */
	continues: boolean;
}

/** Everything the page needs to speak one protocol: pure functions, no I/O. */
export interface PlaygroundProtocol {
	info: ProtocolInfo;
	/** A fresh session (a new task on the next message). */
	newSession(makeId?: () => string): PlaygroundSession;
	/** The request that sends a user message. */
	buildRequest(input: { agent: AgentRef; text: string; session: PlaygroundSession; makeId?: () => string }): PreparedRequest;
	/** A parser for one response body. */
	createParser(): EventParser;
	/** The rendered answer after one more event. */
	applyEvent(state: AnswerState, event: RawEvent): AnswerState;
	/** The request that posts a pending call's output back and continues the run; null when the protocol cannot. */
	continuation(input: { agent: AgentRef; session: PlaygroundSession; call: PendingCall; output: unknown }): PreparedRequest | null;
	/** The session once a response has ended: the task id it named, the answer added to the history. */
	afterResponse(session: PlaygroundSession, result: { answer: AnswerState; headers: Record<string, string> }): PlaygroundSession;
	/** A request that stops the run on the server, for protocols where closing the stream does not. */
	stopRequest?(session: PlaygroundSession): PlaygroundRequest | null;
}
