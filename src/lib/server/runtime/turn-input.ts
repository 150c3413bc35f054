/** What starting a turn takes: the task, its agent, the caller's request and the caller's own tools. */
import type { LanguageModel } from 'ai';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Message, Task } from '../db/schema';
import type { AgentWithTools } from '../services/agents';
import type { RunRegistry } from './run-registry';
import type { SharedRuns } from './shared-runs';
import type { TurnRequest } from './turn-request';
import type { TurnSettings } from './turn-settings';

/** What a turn needs: the task, its agent, and what the caller asks for. */
export interface TurnInput {
	db: Db;
	config: Config;
	task: Task;
	agent: AgentWithTools;
	request: TurnRequest;
	registry?: RunRegistry;
	/** The model to call instead of the agent's own (tests, per-request overrides). */
	model?: LanguageModel;
	/** Where to publish the run for other processes; by default Redis when `REDIS_URL` is set, null for none. */
	shared?: Promise<SharedRuns> | null;
	/** Tools the caller defines for this turn (OpenAI `tools`); the caller runs them. */
	callerTools?: CallerTool[];
	/** Every tool call goes to the caller; by default as the task's run options say. */
	handOverAllTools?: boolean;
	/**
	 * The insert of the task, when this turn makes it: run in the transaction that stores the
	 * question (`task` is then the task as it will be stored).
	 */
	newTask?: BatchItem<'sqlite'>;
	/** Told once the turn's writes (`newTask` among them) are stored, before anything that may still fail. */
	onStored?: () => void;
	/** The task's stored messages when the caller knows them without reading (`[]` for a task it just created). */
	storedMessages?: Message[];
	/** How the caller tunes this turn, on top of the agent's settings. */
	settings?: TurnSettings;
}

/** A tool defined by the caller of one request: the model may call it, the caller runs it. */
export interface CallerTool {
	name: string;
	description?: string;
	/** JSON Schema of its input. */
	inputSchema: Record<string, unknown>;
}
