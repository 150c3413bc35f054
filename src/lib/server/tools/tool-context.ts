import type { Config } from '../config';

/** What a server tool receives besides its input: the configuration and the run's abort signal. */
export interface ToolContext {
	config: Config;
	/** Aborts when the run stops or the tool's time limit passes. */
	signal?: AbortSignal;
}
