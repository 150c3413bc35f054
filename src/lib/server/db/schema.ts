import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { UIMessage } from 'ai';

/** Creation and update stamps, in milliseconds, filled by the application. */
const timestamps = {
	createdAt: integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.$defaultFn(() => new Date()),
	updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
		.notNull()
		.$defaultFn(() => new Date())
		.$onUpdateFn(() => new Date())
};

/** Roles a person can have. The first account created is an admin. */
export const userRoles = ['admin', 'user'] as const;
export type UserRole = (typeof userRoles)[number];

/** How a person wants the app to look; `system` follows the device. */
export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];

export const users = sqliteTable('users', {
	id: text('id').primaryKey(),
	/** Stored lower-cased, so lookups are case-insensitive. */
	email: text('email').notNull().unique(),
	name: text('name'),
	passwordHash: text('password_hash').notNull(),
	role: text('role', { enum: userRoles }).notNull().default('user'),
	disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
	theme: text('theme', { enum: themes }).notNull().default('system'),
	...timestamps
});

/** lucia sessions; `expires_at` is in seconds, as lucia's Drizzle adapter writes it. */
export const sessions = sqliteTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: integer('expires_at').notNull()
	},
	(table) => [index('sessions_user_idx').on(table.userId)]
);

export const apiKeys = sqliteTable(
	'api_keys',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** The first characters of the key, safe to show. */
		prefix: text('prefix').notNull(),
		/** SHA-256 of the whole key, hex. */
		keyHash: text('key_hash').notNull().unique(),
		lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
		revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
		...timestamps
	},
	(table) => [index('api_keys_user_idx').on(table.userId)]
);

/** Teams are free identifiers chosen by callers of the team-agent API, created on first use. */
export const teams = sqliteTable('teams', {
	id: text('id').primaryKey(),
	name: text('name'),
	...timestamps
});

export const promptTemplates = sqliteTable('prompt_templates', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull().unique(),
	description: text('description').notNull().default(''),
	/** Text with `{{variable}}` placeholders filled from a task's context. */
	template: text('template').notNull(),
	...timestamps
});

/** Who may use an agent. */
export const agentVisibilities = ['public', 'users', 'admins'] as const;
export type AgentVisibility = (typeof agentVisibilities)[number];

/** Where an agent is defined. */
export const agentSources = ['database', 'code'] as const;
export type AgentSource = (typeof agentSources)[number];

/** How hard an agent's model thinks before it answers; `off` sends no reasoning options. */
export const reasoningLevels = ['off', 'low', 'medium', 'high'] as const;
export type ReasoningLevel = (typeof reasoningLevels)[number];

export const agents = sqliteTable('agents', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	slug: text('slug').notNull().unique(),
	name: text('name').notNull(),
	description: text('description').notNull().default(''),
	systemPrompt: text('system_prompt').notNull().default(''),
	/** `provider:model`, e.g. `mock:offline` or `openai:gpt-4o-mini`. */
	model: text('model').notNull(),
	temperature: real('temperature'),
	maxSteps: integer('max_steps').notNull().default(5),
	/** Reasoning asked of the model, mapped to each provider's options (`models/provider-options.ts`). */
	reasoning: text('reasoning', { enum: reasoningLevels }).notNull().default('off'),
	/** Wall-time limit of one run, in seconds. */
	maxRunSeconds: integer('max_run_seconds').notNull().default(300),
	visibility: text('visibility', { enum: agentVisibilities }).notNull().default('users'),
	promptTemplateId: integer('prompt_template_id').references(() => promptTemplates.id, {
		onDelete: 'set null'
	}),
	/** JSON Schema a task's context must satisfy. */
	contextSchema: text('context_schema', { mode: 'json' }).$type<Record<string, unknown>>(),
	source: text('source', { enum: agentSources }).notNull().default('database'),
	...timestamps
});

/** How a tool runs. */
export const toolKinds = ['builtin', 'http', 'client', 'mcp'] as const;
export type ToolKind = (typeof toolKinds)[number];

export const tools = sqliteTable('tools', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	/** The name the model sees; unique. */
	name: text('name').notNull().unique(),
	description: text('description').notNull().default(''),
	kind: text('kind', { enum: toolKinds }).notNull(),
	/** JSON Schema of the tool's input. */
	inputSchema: text('input_schema', { mode: 'json' })
		.$type<Record<string, unknown>>()
		.notNull()
		.default(sql`'{"type":"object","properties":{}}'`),
	/** Kind-specific settings, e.g. for `http`: url, method, headers, timeout_ms. */
	config: text('config', { mode: 'json' })
		.$type<Record<string, unknown>>()
		.notNull()
		.default(sql`'{}'`),
	requiresApproval: integer('requires_approval', { mode: 'boolean' }).notNull().default(false),
	/** For kind `mcp`: the MCP server offering the tool (its tools go with it). */
	mcpServerId: integer('mcp_server_id').references(() => mcpServers.id, { onDelete: 'cascade' }),
	...timestamps
});

/** How Parley reaches an MCP server: Streamable HTTP, or a command it starts (stdio). */
export const mcpTransports = ['http', 'stdio'] as const;
export type McpTransport = (typeof mcpTransports)[number];

/** The state of an MCP server's connection, as last seen. */
export const mcpServerStatuses = ['connected', 'needs_sign_in', 'failing'] as const;
export type McpServerStatus = (typeof mcpServerStatuses)[number];

/** How Parley signs in to an MCP server. */
export const mcpAuthKinds = ['headers', 'oauth'] as const;
export type McpAuthKind = (typeof mcpAuthKinds)[number];

/** Whose OAuth sign-in a server's calls use. */
export const mcpOauthConnections = ['shared', 'per_user'] as const;
export type McpOauthConnection = (typeof mcpOauthConnections)[number];

/** The state of an OAuth sign-in. */
export const mcpGrantStatuses = ['connected', 'needs_sign_in'] as const;
export type McpGrantStatus = (typeof mcpGrantStatuses)[number];

/** A tool an MCP server offers, as its last `tools/list` gave it. */
export interface McpToolListing {
	name: string;
	title?: string;
	description?: string;
	inputSchema: Record<string, unknown>;
}

/** An MCP server whose tools agents may use (admins manage them). */
export const mcpServers = sqliteTable('mcp_servers', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull().unique(),
	transport: text('transport', { enum: mcpTransports }).notNull().default('http'),
	/** The Streamable HTTP endpoint (transport `http`). */
	url: text('url'),
	/** The program to start (transport `stdio`). */
	command: text('command'),
	args: text('args', { mode: 'json' })
		.$type<string[]>()
		.notNull()
		.default(sql`'[]'`),
	/** Hosts this server's URL may resolve to private or local addresses for. */
	allowedHosts: text('allowed_hosts', { mode: 'json' })
		.$type<string[]>()
		.notNull()
		.default(sql`'[]'`),
	/** The names of the static headers sent (their values are in `secrets`). */
	headerNames: text('header_names', { mode: 'json' })
		.$type<string[]>()
		.notNull()
		.default(sql`'[]'`),
	/** Secrets (header values, later OAuth tokens and client credentials), as one AES-256-GCM sealed JSON object. */
	secrets: text('secrets'),
	status: text('status', { enum: mcpServerStatuses }).notNull().default('failing'),
	lastError: text('last_error'),
	lastOkAt: integer('last_ok_at', { mode: 'timestamp_ms' }),
	/** The server's tools with their input schemas, as last listed. */
	toolListing: text('tool_listing', { mode: 'json' })
		.$type<McpToolListing[]>()
		.notNull()
		.default(sql`'[]'`),
	/** How Parley signs in: static headers (possibly none), or OAuth. */
	auth: text('auth', { enum: mcpAuthKinds }).notNull().default('headers'),
	/** With OAuth: one connection an admin signs in for, or one per user. */
	oauthConnection: text('oauth_connection', { enum: mcpOauthConnections }).notNull().default('shared'),
	/** With OAuth: the scopes to ask for (space-separated); none means what the server advertises. */
	oauthScope: text('oauth_scope'),
	/** With OAuth: a pre-registered client's id (its secret, if any, is in `secrets`). */
	oauthClientId: text('oauth_client_id'),
	/** With OAuth: the client Parley registered dynamically and the server's metadata, sealed like `secrets`. */
	oauthClient: text('oauth_client'),
	...timestamps
});

/**
 * An OAuth sign-in to an MCP server: the shared one (no user) or a user's own. Tokens and a sign-in
 * under way (PKCE verifier, state) are sealed like the server's secrets.
 */
export const mcpOauthGrants = sqliteTable(
	'mcp_oauth_grants',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		serverId: integer('server_id')
			.notNull()
			.references(() => mcpServers.id, { onDelete: 'cascade' }),
		/** The user of a per-user connection; none for the shared one. */
		userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
		/** The tokens (access, refresh, type, scope), sealed. */
		tokens: text('tokens'),
		/** When the access token expires. */
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
		/** A sign-in under way (PKCE code verifier, state, where to return), sealed. */
		pending: text('pending'),
		/** The `state` of the sign-in under way, to find it on the callback. */
		pendingState: text('pending_state'),
		pendingAt: integer('pending_at', { mode: 'timestamp_ms' }),
		status: text('status', { enum: mcpGrantStatuses }).notNull().default('needs_sign_in'),
		lastError: text('last_error'),
		...timestamps
	},
	(table) => [
		uniqueIndex('mcp_oauth_grants_server_user_idx').on(table.serverId, sql`coalesce(${table.userId}, '')`),
		uniqueIndex('mcp_oauth_grants_state_idx').on(table.pendingState)
	]
);

/** An agent that uses every tool of an MCP server, including tools the server adds later. */
export const agentMcpServers = sqliteTable(
	'agent_mcp_servers',
	{
		agentId: integer('agent_id')
			.notNull()
			.references(() => agents.id, { onDelete: 'cascade' }),
		mcpServerId: integer('mcp_server_id')
			.notNull()
			.references(() => mcpServers.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0)
	},
	(table) => [primaryKey({ columns: [table.agentId, table.mcpServerId] })]
);

export const agentTools = sqliteTable(
	'agent_tools',
	{
		agentId: integer('agent_id')
			.notNull()
			.references(() => agents.id, { onDelete: 'cascade' }),
		toolId: integer('tool_id')
			.notNull()
			.references(() => tools.id, { onDelete: 'cascade' }),
		position: integer('position').notNull().default(0)
	},
	(table) => [primaryKey({ columns: [table.agentId, table.toolId] })]
);

export const taskStatuses = ['active', 'completed', 'archived'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** Who drives a task: the runtime (`auto`), an agent, or a person. */
export const taskDrivers = ['auto', 'agent', 'user'] as const;
export type TaskDriver = (typeof taskDrivers)[number];

/** How the runs of a task behave. */
export interface TaskRunOptions {
	/** Every tool call goes to the caller, server tools included (the agent API's `auto_execute_tools: false`). */
	handOverAllTools?: boolean;
	/** The task's context was made by its code agent's `createContext` (which runs once per task). */
	contextCreated?: boolean;
}

/** A conversation with one agent, owned by a user or by an anonymous caller. */
export const tasks = sqliteTable(
	'tasks',
	{
		id: text('id').primaryKey(),
		agentId: integer('agent_id')
			.notNull()
			.references(() => agents.id),
		teamId: text('team_id').references(() => teams.id, { onDelete: 'set null' }),
		userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
		anonymousId: text('anonymous_id'),
		title: text('title').notNull().default(''),
		status: text('status', { enum: taskStatuses }).notNull().default('active'),
		driver: text('driver', { enum: taskDrivers }).notNull().default('auto'),
		context: text('context', { mode: 'json' }).$type<Record<string, unknown>>(),
		/** How runs of this task behave, as the caller that started it asked. */
		runOptions: text('run_options', { mode: 'json' }).$type<TaskRunOptions>(),
		/**
		 * The last message of the branch the task reads as its history (see `messages.parentId`);
		 * every new message becomes it (a trigger keeps it), and choosing another version of a
		 * message moves it. Null while the task has no message.
		 */
		activeLeafId: text('active_leaf_id'),
		/** Started from the playground: kept out of the conversation sidebar. */
		playground: integer('playground', { mode: 'boolean' }).notNull().default(false),
		...timestamps
	},
	(table) => [
		index('tasks_user_updated_idx').on(table.userId, table.updatedAt),
		index('tasks_anonymous_idx').on(table.anonymousId),
		index('tasks_agent_idx').on(table.agentId)
	]
);

/**
 * The ids of deleted tasks. A trigger adds the id of every deleted task (however it is deleted),
 * and another refuses a new task with a listed id: an id names one task for good, so nothing bound
 * to a deleted task (a live subscription, a chat socket, a link) can ever reach a new one.
 */
export const taskTombstones = sqliteTable('task_tombstones', {
	id: text('id').primaryKey(),
	deletedAt: integer('deleted_at', { mode: 'timestamp_ms' })
		.notNull()
		.$defaultFn(() => new Date())
});

export const messageRoles = ['user', 'assistant', 'system'] as const;
export type MessageRole = (typeof messageRoles)[number];

/** The conversations framework's kind of a message, beside its UIMessage role. */
export const messageKinds = ['user', 'agent', 'system', 'widget'] as const;
export type MessageKind = (typeof messageKinds)[number];

export const messageStatuses = ['complete', 'streaming', 'interrupted', 'error'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** The parts of a stored message, in AI SDK UIMessage form. */
export type StoredParts = UIMessage['parts'];

export const messages = sqliteTable(
	'messages',
	{
		id: text('id').primaryKey(),
		taskId: text('task_id')
			.notNull()
			.references(() => tasks.id, { onDelete: 'cascade' }),
		/** Order of writing within the task, from 0: a parent always comes before its children. */
		position: integer('position').notNull(),
		/**
		 * The message this one follows; null for a first message. A task's messages form a tree:
		 * an edited question or a regenerated answer is a new child of the same parent (a sibling
		 * version), and the task's history is the branch from its active leaf up to the root.
		 */
		parentId: text('parent_id'),
		role: text('role', { enum: messageRoles }).notNull(),
		kind: text('kind', { enum: messageKinds }).notNull(),
		parts: text('parts', { mode: 'json' }).$type<StoredParts>().notNull(),
		status: text('status', { enum: messageStatuses }).notNull().default('complete'),
		/** A safe, user-facing message when `status` is `error`. */
		error: text('error'),
		/** `provider:model` that wrote an assistant message. */
		model: text('model'),
		inputTokens: integer('input_tokens'),
		outputTokens: integer('output_tokens'),
		/** Output tokens spent on reasoning, where the provider reports them (part of `outputTokens`). */
		reasoningTokens: integer('reasoning_tokens'),
		/** Input tokens read from the provider's prompt cache (part of `inputTokens`). */
		cachedInputTokens: integer('cached_input_tokens'),
		metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
		...timestamps
	},
	(table) => [
		uniqueIndex('messages_task_position_idx').on(table.taskId, table.position),
		index('messages_parent_idx').on(table.taskId, table.parentId)
	]
);

/**
 * A read-only public copy of a task's active branch as it was when it was shared: later messages
 * are not in it. The id is the link's secret token (`/s/{id}`); deleting the row revokes it.
 */
export const shareLinks = sqliteTable(
	'share_links',
	{
		id: text('id').primaryKey(),
		taskId: text('task_id')
			.notNull()
			.references(() => tasks.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		/** The agent's name when shared. */
		agentName: text('agent_name').notNull(),
		/** The shared messages, in order, in UIMessage form with their role, kind and model. */
		messages: text('messages', { mode: 'json' }).$type<SharedMessage[]>().notNull(),
		...timestamps
	},
	(table) => [index('share_links_user_idx').on(table.userId), index('share_links_task_idx').on(table.taskId)]
);

/** A message as a share link keeps it. */
export interface SharedMessage {
	id: string;
	role: MessageRole;
	kind: MessageKind;
	parts: StoredParts;
	status: MessageStatus;
	model: string | null;
	createdAt: number;
}

export const extractionStatuses = ['none', 'pending', 'extracting', 'ready', 'failed'] as const;
export type ExtractionStatus = (typeof extractionStatuses)[number];

export const files = sqliteTable(
	'files',
	{
		id: text('id').primaryKey(),
		userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
		anonymousId: text('anonymous_id'),
		taskId: text('task_id').references(() => tasks.id, { onDelete: 'set null' }),
		name: text('name').notNull(),
		mimeType: text('mime_type').notNull(),
		size: integer('size').notNull(),
		storageKey: text('storage_key').notNull(),
		sha256: text('sha256').notNull(),
		extractionStatus: text('extraction_status', { enum: extractionStatuses }).notNull().default('none'),
		extractedText: text('extracted_text'),
		/** Why the text could not be read, when `extraction_status` is `failed`. */
		extractionError: text('extraction_error'),
		...timestamps
	},
	(table) => [index('files_user_idx').on(table.userId), index('files_task_idx').on(table.taskId)]
);

export const knowledgeSourceKinds = ['document', 'catalogue'] as const;
export type KnowledgeSourceKind = (typeof knowledgeSourceKinds)[number];

export const knowledgeStatuses = ['pending', 'indexing', 'ready', 'failed'] as const;
export type KnowledgeStatus = (typeof knowledgeStatuses)[number];

/**
 * A document or a product catalogue an admin gave an agent to answer from. Its text is cut into
 * chunks (a catalogue row is one chunk), which are searched by words and by meaning.
 */
export const knowledgeSources = sqliteTable(
	'knowledge_sources',
	{
		id: text('id').primaryKey(),
		agentId: integer('agent_id')
			.notNull()
			.references(() => agents.id, { onDelete: 'cascade' }),
		/** The uploaded file the source was read from. */
		fileId: text('file_id').references(() => files.id, { onDelete: 'set null' }),
		kind: text('kind', { enum: knowledgeSourceKinds }).notNull(),
		name: text('name').notNull(),
		status: text('status', { enum: knowledgeStatuses }).notNull().default('pending'),
		/** Why indexing failed, when `status` is `failed`. */
		error: text('error'),
		chunkCount: integer('chunk_count').notNull().default(0),
		...timestamps
	},
	(table) => [index('knowledge_sources_agent_idx').on(table.agentId)]
);

/** A catalogue row's fields, as the product search returns them. */
export interface ProductFields {
	category: string;
	name: string;
	description: string;
	price: number | null;
	/** The stored file of the product's picture, when it has one. */
	imageFileId?: string | null;
}

/**
 * One searchable piece of a knowledge source. Its text is indexed by FTS5 (`knowledge_chunk_search`,
 * kept by triggers); its embedding lives in the vector table of each embedding model
 * (see `embedding_spaces`).
 */
export const knowledgeChunks = sqliteTable(
	'knowledge_chunks',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		sourceId: text('source_id')
			.notNull()
			.references(() => knowledgeSources.id, { onDelete: 'cascade' }),
		agentId: integer('agent_id')
			.notNull()
			.references(() => agents.id, { onDelete: 'cascade' }),
		/** Order within the source, from 0. */
		position: integer('position').notNull(),
		text: text('text').notNull(),
		/** A catalogue row's fields; null for a document's chunk. */
		product: text('product', { mode: 'json' }).$type<ProductFields>()
	},
	(table) => [
		index('knowledge_chunks_agent_idx').on(table.agentId),
		index('knowledge_chunks_source_idx').on(table.sourceId, table.position)
	]
);

/**
 * The vector tables, one per embedding model: an `F32_BLOB(n)` column has a fixed dimension, so
 * each model's vectors live in a table of their own, with a `libsql_vector_idx` index.
 */
export const embeddingSpaces = sqliteTable('embedding_spaces', {
	/** `provider:model` of the embedding model. */
	model: text('model').primaryKey(),
	dimensions: integer('dimensions').notNull(),
	tableName: text('table_name').notNull().unique(),
	...timestamps
});

/** Installation-wide facts, such as when the demo data was seeded. */
export const appMeta = sqliteTable('app_meta', {
	key: text('key').primaryKey(),
	value: text('value').notNull()
});

/**
 * A response of the Responses face (`/v1/responses`): one turn of a task, as the caller asked
 * for it. Its output lives in the task's messages; the row keeps what the face shows of it — the
 * request it echoes and, once its run has ended, the response object — so that it can be read,
 * continued (`previous_response_id`) and referenced (`item_reference`) later.
 */
export const responses = sqliteTable(
	'responses',
	{
		/** `resp_…`. */
		id: text('id').primaryKey(),
		taskId: text('task_id')
			.notNull()
			.references(() => tasks.id, { onDelete: 'cascade' }),
		/** The assistant message the response's output was written to. */
		messageId: text('message_id').notNull(),
		/** The response object: as it started, then as it ended. */
		body: text('body', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		...timestamps
	},
	(table) => [index('responses_task_idx').on(table.taskId)]
);

/** An input or output item of a response, by its id (an id a caller sent may repeat across responses). */
export const responseItems = sqliteTable(
	'response_items',
	{
		responseId: text('response_id')
			.notNull()
			.references(() => responses.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ['input', 'output'] }).notNull(),
		/** Order within its kind, from 0. */
		position: integer('position').notNull(),
		itemId: text('item_id').notNull(),
		item: text('item', { mode: 'json' }).$type<Record<string, unknown>>().notNull()
	},
	(table) => [primaryKey({ columns: [table.responseId, table.kind, table.position] }), index('response_items_item_idx').on(table.itemId)]
);

export type User = typeof users.$inferSelect;
export type Agent = typeof agents.$inferSelect;
export type Tool = typeof tools.$inferSelect;
export type McpServer = typeof mcpServers.$inferSelect;
export type McpOauthGrant = typeof mcpOauthGrants.$inferSelect;
export type Task = typeof tasks.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type KnowledgeSource = typeof knowledgeSources.$inferSelect;
export type KnowledgeChunk = typeof knowledgeChunks.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type ShareLink = typeof shareLinks.$inferSelect;
