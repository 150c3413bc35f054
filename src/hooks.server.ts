import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { corsHandle } from '$lib/server/http/cors';
import { malformedRequestHandle } from '$lib/server/http/malformed-request';
import { securityHeadersHandle } from '$lib/server/http/security-headers';
import { methodNotAllowedHandle } from '$lib/server/http/method-not-allowed';
import { authHandle, authHandleWith } from '$lib/server/auth/handle';
import { themeHandle } from '$lib/server/http/theme';
import { openAIErrorResponse } from '$lib/server/protocols/openai/errors';
import { ConfigError, getConfig } from '$lib/server/config';
import { AppError } from '$lib/server/errors';
import { getDb, getDbMigrationReport } from '$lib/server/db';
import { seedDemoData } from '$lib/server/db/seed';
import { syncCodeAgents } from '$lib/server/code-agents/registry';
import { getEmbedder, getKnowledgeIndexer } from '$lib/server/knowledge/knowledge';
import { dev } from '$app/environment';
import { shutdownRuns, stopLocalRuns } from '$lib/server/runtime/runs';
import { closeLiveTasks, startLiveTasks } from '$lib/server/live/live-tasks';
import { closeTaskList, startTaskListRelay } from '$lib/server/task-list/live-task-list';
import { markAbandonedAnswers } from '$lib/server/services/messages';
import { getExtractionQueue } from '$lib/server/files/extract/extraction-queue';
import { startOrphanUploadSweep } from '$lib/server/files/file-cleanup';
import { startSearchIndexing } from '$lib/server/services/search-index';
import { getFileStorage } from '$lib/server/files/get-file-storage';
import { registerWebSocketChat } from '$lib/server/protocols/websocket/chat-socket';
import { announceStartup, collectStartupFacts } from '$lib/server/startup-summary';
import { refreshProviderModels, stopProviderModels } from '$lib/server/models/provider-models';
import { closeAllConnections } from '$lib/server/mcp/connections';

/**
 * Validates the configuration, opens and migrates the database, and seeds the demo agents; then
 * says in the terminal what it did and where to go.
 */
export const init: ServerInit = async () => {
	try {
		getConfig();
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		console.error(`[parley] ${error.message}`);
		process.exit(1);
	}
	try {
		getEmbedder();
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		console.error(`[parley] EMBEDDING_MODEL: ${error.message}`);
		process.exit(1);
	}
	// The model menu offers what OpenAI-compatible servers list; their lists are read in the
	// background (a slow or absent server does not hold the start up) and kept for a few minutes.
	void refreshProviderModels(getConfig());
	const db = await getDb();
	// Everyone viewing a task hears about every run on it, whichever face started it.
	startLiveTasks(db);
	// Each person's open chat sidebars hear of their tasks' questions, titles and answers.
	startTaskListRelay(db);
	const seeded = await seedDemoData(db);
	// Agents defined in src/agents/ are listed and chosen like any other: as read-only rows.
	await syncCodeAgents(db, getConfig());
	// Without Redis, no other process can be running these answers: they were cut off by a stop.
	if (!getConfig().REDIS_URL) await markAbandonedAnswers(db);
	// Text extractions cut off by a stop start again. Reading a file twice (should another
	// process also be at it) gives the same text, so this needs no coordination.
	await getExtractionQueue().requeueUnfinished(db, getFileStorage());
	// Uploads that belong to no task after a while are removed, now and hourly.
	startOrphanUploadSweep(db);
	// Task titles and messages are indexed for search in batches, about once a second.
	startSearchIndexing(db);
	// Knowledge sources cut off by a stop are indexed again, and chunks the embedding model in
	// force has no vector for (all of them after a change of model) are embedded.
	await getKnowledgeIndexer().resume(db);
	if (!dev) {
		// On a stop, answers in progress are cut short and stored as interrupted before the
		// server closes (it waits for open streams); then Redis is let go.
		// Live subscriptions end after those answers' last events, so that the server can close.
		for (const signal of ['SIGTERM', 'SIGINT'] as const) {
			process.once(signal, () => void stopLocalRuns().then(() => Promise.all([closeLiveTasks(), closeTaskList()])));
		}
		process.once('sveltekit:shutdown', () => {
			stopProviderModels();
			// MCP connections end: stdio servers' programs are stopped, not left behind.
			void closeAllConnections();
			void shutdownRuns();
		});
	}
	registerWebSocketChat();
	const migrations = getDbMigrationReport() ?? { applied: 0, total: 0 };
	announceStartup(await collectStartupFacts(db, getConfig(), { migrations, seeded }), { dev });
};

const openAIAuthHandle = authHandleWith(openAIErrorResponse);

export const handle: Handle = sequence(
	securityHeadersHandle,
	malformedRequestHandle,
	corsHandle,
	methodNotAllowedHandle,
	(input) =>
		// OpenAI clients read errors in OpenAI's shape, a bad key included.
		input.event.url.pathname.startsWith('/v1/') ? openAIAuthHandle(input) : authHandle(input),
	themeHandle
);

/** Unexpected errors are logged with their detail; people see a plain message. */
export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status >= 500) console.error('[parley] unexpected error', error);
	return { message: status >= 500 ? 'Something went wrong on our side. Please try again.' : message };
};
