import { z } from 'zod';

/** Whether an environment value is unset: missing, empty or only spaces. */
const isBlank = (value: unknown) => value === undefined || (typeof value === 'string' && value.trim() === '');

/** Treats blank strings as unset, so `FOO=` in a `.env` file means "use the default". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (isBlank(value) ? undefined : value), schema.optional());

const url = z.url({ message: 'must be a URL such as https://example.com' });

/** A whole number of at least `min`, written in decimal digits. */
const integer = (fallback: number, min = 0) =>
	z.preprocess(
		(value) => (isBlank(value) ? undefined : value),
		z
			.string()
			.trim()
			.regex(/^-?\d+$/, { message: 'must be a whole number' })
			.transform(Number)
			.pipe(z.number().min(min, { message: `must be at least ${min}` }))
			.default(fallback)
	);

/** A whole number of at least `min`, written in decimal digits; `undefined` when unset. */
const optionalInteger = (min = 0) =>
	optional(
		z
			.string()
			.trim()
			.regex(/^-?\d+$/, { message: 'must be a whole number' })
			.transform(Number)
			.pipe(z.number().min(min, { message: `must be at least ${min}` }))
	);

/** The items of a comma-separated list, trimmed, without empty ones. */
const listOf = (value: string) =>
	value
		.split(',')
		.map((item) => item.trim())
		.filter(Boolean);

/** Whether a text is an http(s) origin: a scheme and a host, an optional port, nothing after. */
function isHttpOrigin(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
	} catch {
		return false;
	}
}

/** Every environment variable Parley reads, with its default. */
export const configSchema = z
	.object({
		NODE_ENV: optional(z.enum(['development', 'production', 'test'])),
		DATABASE_URL: z
			.preprocess((value) => (isBlank(value) ? undefined : value), z.string().default('file:data/parley.db'))
			.refine((value) => /^(file:|libsql:|https?:|wss?:)/.test(value), {
				message: 'must start with file:, libsql:, http(s): or ws(s):'
			}),
		DATABASE_AUTH_TOKEN: optional(z.string()),
		ORIGIN: optional(url),
		OPENAI_API_KEY: optional(z.string()),
		/** OpenAI's API up to its version segment (`…/v1`), for gateways and proxies. */
		OPENAI_BASE_URL: optional(url),
		/** Which OpenAI API `openai:` models are called through: `responses` (the default) or `chat` (Chat Completions). */
		OPENAI_API_MODE: z.preprocess((value) => (isBlank(value) ? undefined : value), z.enum(['responses', 'chat']).default('responses')),
		ANTHROPIC_API_KEY: optional(z.string()),
		/** Anthropic's API up to its version segment (`…/v1`). */
		ANTHROPIC_BASE_URL: optional(url),
		GOOGLE_GENERATIVE_AI_API_KEY: optional(z.string()),
		/** Google's Generative Language API up to its version segment (`…/v1beta`). */
		GOOGLE_GENERATIVE_AI_BASE_URL: optional(url),
		OPENAI_COMPATIBLE_BASE_URL: optional(url),
		OPENAI_COMPATIBLE_API_KEY: optional(z.string()),
		/** Comma-separated model names offered by the OpenAI-compatible server. */
		OPENAI_COMPATIBLE_MODELS: optional(z.string()),
		/** `provider:model`; when unset, the first configured provider's default, else `mock:offline`. */
		DEFAULT_MODEL: optional(z.string().regex(/^[a-z-]+:.+$/, { message: 'must look like provider:model, e.g. openai:gpt-4o-mini' })),
		DEFAULT_AGENT: optional(z.string()),
		/**
		 * `provider:model` of the embedding model for knowledge search; when unset, OpenAI's or
		 * Google's default when configured, else the offline `mock:lexical`.
		 */
		EMBEDDING_MODEL: optional(
			z.string().regex(/^[a-z-]+:.+$/, { message: 'must look like provider:model, e.g. openai:text-embedding-3-small' })
		),
		MOCK_TOKEN_DELAY_MS: integer(15),
		/**
		 * Comma-separated hosts that HTTP tools may reach even though they resolve to private,
		 * loopback or link-local addresses (e.g. `localhost,intranet.example`).
		 */
		HTTP_TOOL_ALLOWED_HOSTS: optional(z.string()),
		/** Where uploaded files are kept; by default `uploads` beside a `file:` database. */
		UPLOADS_DIR: optional(z.string()),
		/** Where file contents are kept: `local` (the uploads folder, the default) or `s3` (an S3-compatible bucket). */
		STORAGE_DRIVER: z.preprocess(
			(value) => (isBlank(value) ? undefined : value),
			z.enum(['local', 's3'], { message: 'must be local or s3' }).default('local')
		),
		/** The bucket of the `s3` driver (required with it). */
		S3_BUCKET: optional(z.string()),
		/** The bucket's region. */
		S3_REGION: z.preprocess((value) => (isBlank(value) ? undefined : value), z.string().default('us-east-1')),
		/** Another S3-compatible endpoint (MinIO, Cloudflare R2, …) instead of AWS's. */
		S3_ENDPOINT: optional(url),
		/** Static credentials; when unset, the AWS SDK's default credential chain is used. */
		S3_ACCESS_KEY_ID: optional(z.string()),
		S3_SECRET_ACCESS_KEY: optional(z.string()),
		/** Path-style addresses (`endpoint/bucket/key`), which MinIO and most self-hosted servers need. */
		S3_FORCE_PATH_STYLE: z.preprocess(
			(value) => (isBlank(value) ? undefined : typeof value === 'string' ? value.trim().toLowerCase() : value),
			z
				.enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
				.default('false')
				.transform((value) => value === 'true' || value === '1')
		),
		/** A folder inside the bucket for Parley's objects, e.g. `parley/`. */
		S3_PREFIX: optional(z.string()),
		/** The secret that signs Parley's own time-limited file links; by default one kept in the database. */
		FILE_URL_SECRET: optional(z.string().min(32, { message: 'must be at least 32 characters' })),
		/** Comma-separated origins allowed to call the public APIs from a browser; none by default. */
		CORS_ORIGINS: optional(z.string()),
		/** Largest JSON body, in bytes (1 MB). */
		JSON_BODY_LIMIT: integer(1024 * 1024, 1),
		/** Largest uploaded file, in bytes (25 MB). */
		FILE_SIZE_LIMIT: integer(25 * 1024 * 1024, 1),
		/** Largest uploaded image, in bytes (10 MB); `FILE_SIZE_LIMIT` applies too. */
		FILE_SIZE_LIMIT_IMAGE: integer(10 * 1024 * 1024, 1),
		/** Largest uploaded audio file, in bytes; `FILE_SIZE_LIMIT` when unset. */
		FILE_SIZE_LIMIT_AUDIO: optionalInteger(1),
		/** Largest uploaded video, in bytes; `FILE_SIZE_LIMIT` when unset. */
		FILE_SIZE_LIMIT_VIDEO: optionalInteger(1),
		/** Largest uploaded document or other file (anything not an image, audio or video), in bytes; `FILE_SIZE_LIMIT` when unset. */
		FILE_SIZE_LIMIT_DOCUMENT: optionalInteger(1),
		/** Largest request (a multipart upload with all its files), in bytes (100 MB). */
		REQUEST_SIZE_LIMIT: integer(100 * 1024 * 1024, 1),
		/** Requests a minute per API key, user or anonymous caller on streaming endpoints. */
		RATE_LIMIT_PER_MINUTE: integer(60, 1),
		/** A Redis server shared by server processes: resumable streams, live tasks and rate limits. */
		REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, { message: 'must start with redis:// or rediss://' })),
		/**
		 * Streaming requests a minute per client address from anonymous callers, on top of
		 * `RATE_LIMIT_PER_MINUTE` per anonymous id (which a caller chooses, so cannot limit it alone).
		 */
		RATE_LIMIT_PER_ADDRESS_PER_MINUTE: integer(60, 1),
		/**
		 * How many reverse proxies in front of Parley append to `X-Forwarded-For`: 0 (the default)
		 * ignores the header and limits by the connection's address; N takes the address N entries from
		 * the right of the header (1 = the address the nearest proxy saw). Applies to HTTP and WebSocket
		 * alike. Set this instead of adapter-node's `ADDRESS_HEADER`/`XFF_DEPTH`: with N > 0 Parley
		 * reads the header itself and those are ignored; with 0, `ADDRESS_HEADER` would change the
		 * address of HTTP requests only, not of WebSocket connections. Leave it at 0 on Vercel, whose
		 * own edge sets the client address.
		 */
		TRUSTED_PROXY: integer(0, 0),
		/** Tasks an hour that anonymous callers may start from one client address, on every face. */
		ANONYMOUS_TASKS_PER_HOUR: integer(100, 1),
		/** Failed log-ins per account within `LOGIN_FAILURE_WINDOW_MINUTES` before further log-ins are refused (429). */
		LOGIN_FAILURE_LIMIT: integer(10, 1),
		/** Failed log-ins per client address (any accounts) within the window before further log-ins from it are refused. */
		LOGIN_FAILURE_LIMIT_PER_ADDRESS: integer(30, 1),
		/** The window of the failed log-in limits, in minutes; it starts with the first failure. */
		LOGIN_FAILURE_WINDOW_MINUTES: integer(15, 1),
		/**
		 * Deepest nesting of arrays and objects in any JSON a client sends (request bodies, JSON form
		 * fields, WebSocket frames), in levels (64).
		 */
		JSON_DEPTH_LIMIT: integer(64, 1),
		/**
		 * How much of a request body over its limit is read and thrown away before the 413 is sent, in
		 * bytes (10 MB), so that the client, still sending, reads the answer instead of a reset connection.
		 */
		BODY_DRAIN_LIMIT: integer(10 * 1024 * 1024, 0),
		/** How long, in milliseconds, the rest of a body over its limit is read before the 413 is sent anyway (2 s). */
		BODY_DRAIN_TIMEOUT_MS: integer(2000, 0),
		/**
		 * Most history messages one request may carry (1000), on every face that accepts a caller's
		 * history; more is refused with 413 before anything is stored.
		 */
		HISTORY_MESSAGE_LIMIT: integer(1000, 1),
		/**
		 * Most characters of text one request's history may carry, across all its messages (1 MB =
		 * 1048576): every string in them counts (text, tool arguments and results, inline file data).
		 * More is refused with 413 before anything is stored.
		 */
		HISTORY_TEXT_LIMIT: integer(1024 * 1024, 1),
		/**
		 * How many of a caller's most recently changed tasks of an agent `/v1/chat/completions` searches
		 * for the waiting call that a history sent without `metadata.task_id` answers (an approval).
		 */
		OPENAI_TASK_LOOKUP_LIMIT: integer(50, 1),
		/**
		 * Memory one text extraction may use, in MB (512): the JavaScript heap of the process that
		 * reads a file, which may hold 256 MB more in all (code, WebAssembly, buffers). A file that
		 * needs more is marked failed; the server is not affected.
		 */
		EXTRACTION_MEMORY_LIMIT_MB: integer(512, 16),
		/** Most bytes a Word (.docx) document may unpack to (50 MB), checked before it is read. */
		DOCX_INFLATED_LIMIT: integer(50 * 1024 * 1024, 1),
		/** Most entries (parts) a Word (.docx) document may have (10,000), checked before it is read. */
		DOCX_ENTRY_LIMIT: integer(10_000, 1),
		/** Most pages of a PDF whose text is read (2,000); a longer PDF is marked failed. */
		PDF_PAGE_LIMIT: integer(2000, 1),
		/** Most files one request may carry (20), on every path that takes files; more is refused with 413. */
		FILES_PER_REQUEST_LIMIT: integer(20, 1),
		/**
		 * Hours after which an upload that belongs to no task is removed, with its stored bytes unless
		 * another file has the same content (24). Files of a deleted task are removed with it.
		 */
		ORPHAN_UPLOAD_HOURS: integer(24, 1),
		/**
		 * Comma-separated origins that pages may show images and media from, besides this site and the
		 * S3 bucket (e.g. the image host of a shop whose products a tool's widget shows); none by default.
		 */
		CSP_IMG_SOURCES: optional(
			z.string().refine((value) => listOf(value).every(isHttpOrigin), {
				message: 'must be comma-separated http(s) origins such as https://images.example.com'
			})
		),
		/**
		 * How often, at most, an answer's text is stored while it streams, in milliseconds (1000): a
		 * server that dies mid-answer loses at most about this much of what it had streamed.
		 */
		STREAM_SAVE_INTERVAL_MS: integer(1000, 100),
		/**
		 * Most share links one person may have at once (100); sharing another chat beyond it is
		 * refused with 409 until they revoke one in Settings. Sharing a chat again updates its link.
		 */
		SHARE_LINKS_PER_USER: integer(100, 1),
		/** Largest copy of a chat a share link may hold, in bytes of JSON (5 MB); a larger chat is refused with 413. */
		SHARE_SNAPSHOT_LIMIT: integer(5 * 1024 * 1024, 1),
		/**
		 * Live feeds of the chat sidebar (`tasks.listLive`) one user may keep open at once, one per open
		 * chat page (20); a page beyond that is refused with 429 and shows the list without live updates.
		 */
		TASK_LIST_FEEDS_PER_USER: integer(20, 1),
		/**
		 * How long Parley waits for a provider's model list (`GET …/models` of an OpenAI-compatible
		 * server, or of `OPENAI_BASE_URL`), in milliseconds (5000). It is read in the background at
		 * start; until it answers, or when it fails, the menu offers `OPENAI_COMPATIBLE_MODELS`.
		 */
		PROVIDER_MODELS_TIMEOUT_MS: integer(5000, 100),
		/** How long a provider's model list is kept before the model menu reads it again, in seconds (300). */
		PROVIDER_MODELS_REFRESH_SECONDS: integer(300, 1),
		/** Most models taken from one provider's model list (200); the rest are left out of the menu. */
		PROVIDER_MODELS_LIMIT: integer(200, 1),
		/** Largest model list read from a provider, in bytes (1 MB); a larger one counts as a failure. */
		PROVIDER_MODELS_BODY_LIMIT: integer(1024 * 1024, 1024),
		/**
		 * The key secrets kept in the database (an MCP server's header values) are encrypted with,
		 * 32 characters or more. Unset, a key is generated once and kept in `secret.key` beside a
		 * `file:` database; a remote database needs it set before an MCP server with secrets is used.
		 * Set it in production, and keep it: changing it makes stored secrets unreadable.
		 */
		SECRET_KEY: optional(z.string().min(32, { message: 'must be at least 32 characters' })),
		/** Another name for `SECRET_KEY` (used when `SECRET_KEY` is unset). */
		MCP_SECRET: optional(z.string().min(32, { message: 'must be at least 32 characters' })),
		/** `on` lets admins add MCP servers started as commands over stdio (off: they run programs on the server). */
		MCP_STDIO: optional(z.enum(['on', 'off'], { message: 'must be on or off' })),
		/** Time limit of one MCP tool call, in milliseconds (30000); a call that runs out of it marks its server failing. */
		MCP_TOOL_TIMEOUT_MS: integer(30_000, 100),
		/** Time limit of connecting to an MCP server and listing its tools, in milliseconds (10000). */
		MCP_CONNECT_TIMEOUT_MS: integer(10_000, 100),
		/** Largest MCP tool result passed to the model, in bytes of JSON (1 MB); a larger one is a tool error. */
		MCP_RESULT_LIMIT: integer(1024 * 1024, 1024),
		/** Most MCP servers an admin may add (50). */
		MCP_SERVERS_LIMIT: integer(50, 1),
		/** How long an OAuth sign-in to an MCP server may stay under way before its callback is refused, in milliseconds (600000: 10 minutes). */
		MCP_OAUTH_SIGN_IN_TIMEOUT_MS: integer(600_000, 1000),
		/**
		 * How long an AG-UI run's events can be replayed after it ends, in seconds (600), by
		 * `GET /ag-ui/{agent}/runs/{runId}/events`; a run in progress always can.
		 */
		AG_UI_REPLAY_SECONDS: integer(600, 0),
		/** Most ended AG-UI runs kept for replay in one process (200); the oldest go first. */
		AG_UI_REPLAY_RUNS: integer(200, 0)
	})
	.superRefine((config, context) => {
		if (config.STORAGE_DRIVER === 's3' && !config.S3_BUCKET) {
			context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'must be set when STORAGE_DRIVER is s3' });
		}
		if (Boolean(config.S3_ACCESS_KEY_ID) !== Boolean(config.S3_SECRET_ACCESS_KEY)) {
			const missing = config.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
			context.addIssue({ code: 'custom', path: [missing], message: 'must be set together with the other S3 key variable' });
		}
	});

/** The validated configuration. */
export type Config = z.infer<typeof configSchema>;

/** Thrown when the environment is invalid; its message names every bad variable. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** Validates an environment (normally `process.env`) and returns the configuration. */
export function parseConfig(env: Record<string, string | undefined>): Config {
	const result = configSchema.safeParse(env);
	if (result.success) return result.data;
	const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
	throw new ConfigError(`Invalid environment configuration:\n${lines.join('\n')}`);
}

let cached: Config | undefined;

/** The process configuration, read and validated once. */
export function getConfig(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}

/** Whether the app runs under `vite dev`. */
export function isDevelopment(): boolean {
	return getConfig().NODE_ENV === 'development';
}

/** The origins of `CORS_ORIGINS`, normalised. */
export function corsOrigins(config: Config): string[] {
	return (config.CORS_ORIGINS ?? '')
		.split(',')
		.map((origin) => origin.trim().replace(/\/+$/, ''))
		.filter(Boolean);
}

/** The origins of `CSP_IMG_SOURCES`. */
export function cspImageSources(config: Config): string[] {
	return listOf(config.CSP_IMG_SOURCES ?? '').map((origin) => new URL(origin).origin);
}
