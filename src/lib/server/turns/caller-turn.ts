import type { UIMessage } from 'ai';
import type { AppErrorCode } from '../errors';
import type { CallerTool } from '../runtime/turn-input';
import type { ToolCallAnswer, TurnRequest } from '../runtime/turn-request';
import type { TurnSettings } from '../runtime/turn-settings';
import type { AgentWithTools } from '../services/agents';
import type { StoredMessage } from '../services/messages';
import type { SentCall } from '../services/task-waiting-for';
import type { Task, TaskRunOptions } from '../services/tasks';
import type { Viewer } from '../services/viewer';

/**
 * What a caller asks of an agent, free of any protocol: every face (the chat, the agent API, the
 * OpenAI and assistant-ui faces, the team API, the WebSocket chat) translates its request into
 * one of these, and `startCallerTurn` does the rest.
 */

/** An error a face reports in its own words: code, message and the field it blames. */
export interface FaceError {
	code: AppErrorCode;
	message: string;
	field: string;
}

/** The agent a turn talks to. */
export type AgentRef =
	/** An agent by id or slug; `field` is blamed when it is unknown (`agentId` by default). */
	| { kind: 'named'; id: string | number; field?: string }
	/** The default agent (`DEFAULT_AGENT`, else `assistant`…). */
	| { kind: 'default' }
	/** An agent the face has already settled (a socket settles its agent when it opens). */
	| { kind: 'resolved'; agent: AgentWithTools }
	/**
	 * The existing task's own agent (blaming `field` when it can no longer be used); for a new
	 * task, `otherwise`. The task is looked up before the agent.
	 */
	| { kind: 'of-task'; field?: string; otherwise: Exclude<AgentRef, { kind: 'of-task' }> };

/** How a new task is made. */
export interface NewTaskSpec {
	/** The id the caller chose (checked and refused when taken), else a new one. */
	id?: string;
	/** Checked against the agent's context schema before anything is stored. */
	context?: Record<string, unknown> | null;
	title?: string;
	/** The team the task belongs to (made on first use). */
	teamId?: string;
}

/** The task a turn runs on. */
export type TaskRef =
	/** A new task. */
	| { kind: 'new'; create: NewTaskSpec }
	/**
	 * The viewer's task `id`; unknown or someone else's is `not_found` on `field`. With a named
	 * agent, a task of another agent is `otherAgent`.
	 */
	| { kind: 'existing'; id: string; field: string; otherAgent?: FaceError }
	/** The task `id` when it exists (the viewer's, else `not_found` on `field`); else a new task with that id. */
	| { kind: 'existing-or-new'; id: string; field: string; create: Omit<NewTaskSpec, 'id'> }
	/** A task the face has already settled, or null for a new one. */
	| { kind: 'resolved'; task: Task | null; create: NewTaskSpec }
	/**
	 * The viewer's task whose last answer, written by the agent, waits for exactly these calls of
	 * its server tools (`OPENAI_TASK_LOOKUP_LIMIT` most recent tasks searched); else a new task.
	 */
	| { kind: 'waiting-for'; calls: (context: ToolContext) => SentCall[]; create: NewTaskSpec };

/** A file of the caller's, by id, in the new message: `not_found` on `field` unless the viewer owns it. */
export interface UploadedFilePart {
	type: 'uploaded-file';
	fileId: string;
	field: string;
}

/** A file the request itself uploads (a multipart field): checked, then stored, before the task is. */
export interface NewUploadPart {
	type: 'new-upload';
	file: File;
	field: string;
}

/**
 * A part of the new user message. File parts with a link to an uploaded file (`/api/files/{id}`)
 * become the caller's own file; other file parts must be inline (`data:`).
 */
export type CallerPart = UIMessage['parts'][number] | UploadedFilePart | NewUploadPart;

/** What the turn asks for. */
export type CallerAsk =
	/** A new user message; `replaceFrom` names a stored question it is a new version of. */
	| { type: 'message'; parts: CallerPart[]; messageId?: string; replaceFrom?: string }
	/** Tool outputs and approvals for calls that wait in the task; the last one continues the answer. */
	| { type: 'answers'; answers: ToolCallAnswer[] }
	| Exclude<TurnRequest, { type: 'message' }>;

/** What a face may read while it settles its ask: the task's stored history, and where a message sits on it. */
export interface AskContext {
	/** Whether the task is made by this request. */
	isNew: boolean;
	/** The stored history (empty for a new task, or the history it was seeded with). */
	stored: StoredMessage[];
	/** The message of the active branch that is a version of `messageId` (undefined for a new task). */
	versionOnBranch(messageId: string): Promise<string | undefined>;
}

/** History the caller sends, stored (in one transaction with a new task) before the turn starts. */
export interface CallerSeed {
	messages: { id?: string; role: 'user' | 'assistant' | 'system'; parts: UIMessage['parts'] }[];
	/** A title for a new task. */
	title?: string;
	/** What the turn asks for once this history is stored, when the history decides it. */
	ask?: CallerAsk;
}

/** What a face knows once the agent is settled. */
export interface ToolContext {
	agent: AgentWithTools;
	/** The tools the turn runs on the server (a caller may never answer their calls itself). */
	serverTools: Set<string>;
}

/** What a face knows once the agent and the task are settled. */
export interface SeedContext extends ToolContext {
	/** The task's stored history; null for a new task. */
	stored: StoredMessage[] | null;
}

/** One request of a caller: who asks, which agent, which task, what. */
export interface CallerTurn {
	viewer: Viewer;
	agent: AgentRef;
	task: TaskRef;
	/**
	 * What the turn asks for, or how to work it out from the stored history (the chat sends its
	 * whole history and only what is new is taken).
	 */
	ask: CallerAsk | ((context: AskContext) => CallerAsk | Promise<CallerAsk>);
	/**
	 * How the new message's files are checked: their number (`field` blamed), and with
	 * `resolveLinks`, file parts linking to an uploaded file become the caller's own file (any
	 * other must be inline). Without it, parts go to the runtime as they are.
	 */
	files?: { field: string; resolveLinks?: boolean };
	/** History to store before the turn (worked out once the agent and the stored history are known). */
	seed?: (context: SeedContext) => CallerSeed | null;
	/** Checks of the request that need the agent, run before the task is looked up (with a named agent). */
	checks?: (context: ToolContext) => void;
	/** Refused before anything is stored when the existing task is answering already. */
	busy?: FaceError;
	/** Tools the caller defines for this turn; it runs them. */
	callerTools?: CallerTool[] | ((agent: AgentWithTools) => CallerTool[]);
	/** Stored with the task: every tool call goes to the caller (the agent API's `auto_execute_tools: false`). */
	runOptions?: TaskRunOptions;
	/** The task joins this team when it has none (the team API). */
	teamId?: string;
	/** How the caller tunes this turn (`tool_choice`, `instructions`, …), on top of the agent's settings. */
	settings?: TurnSettings;
}
