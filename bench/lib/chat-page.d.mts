// Types for chat-page.mjs, for the e2e test that checks the chat page's JavaScript budget.

/** gzip level for every script body: the smallest gzip a server could send. */
export declare const GZIP_LEVEL: number;

/**
 * The client build's chunks, sorted with Vite's manifest: the files that belong to code
 * highlighting (loaded on demand, outside the budget), and each file's name (its package or
 * source). `undefined` when the build has no manifest.
 */
export declare function readClientManifest(): { highlighting: Set<string>; names: Map<string, string> } | undefined;

/** Figure 6 on a running Parley server (see bench/README.md). */
export declare function figure6(options: {
	server: { baseURL: string; dbPath: string };
	pairs?: number;
	loads: number;
	scrollFrames: number;
	scrollStep: number;
}): Promise<Record<string, unknown>>;

/** Figure 6's table rows for one run (`tag` follows every name): [figure, value, budget, within]. */
export declare function figure6Rows(figure: Record<string, unknown>, tag: string, settings: Record<string, unknown>): string[][];
