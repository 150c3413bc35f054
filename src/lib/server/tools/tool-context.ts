import type { Config } from '../config';
import type { Db } from '../db';

/** What a server tool receives besides its input. */
export interface ToolContext {
	config: Config;
	/** Aborts when the run stops or the tool's time limit passes. */
	signal?: AbortSignal;
	/** The database of the run (absent when tools are only checked, not run). */
	db?: Db;
	/** The agent whose tool runs. */
	agentId?: number;
	/** The user the run is for (the task's owner), when it has one: an MCP server's per-user sign-in. */
	userId?: string | null;
	/** The tool row's `config` (settings an admin gave this tool). */
	toolConfig?: Record<string, unknown>;
}
