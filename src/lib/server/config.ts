import { z } from 'zod';

/** Whether an environment value is unset: missing, empty or only spaces. */
const isBlank = (value: unknown) => value === undefined || (typeof value === 'string' && value.trim() === '');

/** Treats blank strings as unset, so `FOO=` in a `.env` file means "use the default". */
const optional = <T extends z.ZodType>(schema: T) =>
	z.preprocess((value) => (isBlank(value) ? undefined : value), schema.optional());

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

/** Every environment variable Parley reads, with its default. */
export const configSchema = z.object({
	NODE_ENV: optional(z.enum(['development', 'production', 'test'])),
	DATABASE_URL: z
		.preprocess((value) => (isBlank(value) ? undefined : value), z.string().default('file:data/parley.db'))
		.refine((value) => /^(file:|libsql:|https?:|wss?:)/.test(value), {
			message: 'must start with file:, libsql:, http(s): or ws(s):'
		}),
	DATABASE_AUTH_TOKEN: optional(z.string()),
	ORIGIN: optional(url),
	OPENAI_API_KEY: optional(z.string()),
	OPENAI_BASE_URL: optional(url),
	ANTHROPIC_API_KEY: optional(z.string()),
	GOOGLE_GENERATIVE_AI_API_KEY: optional(z.string()),
	OPENAI_COMPATIBLE_BASE_URL: optional(url),
	OPENAI_COMPATIBLE_API_KEY: optional(z.string()),
	/** Comma-separated model names offered by the OpenAI-compatible server. */
	OPENAI_COMPATIBLE_MODELS: optional(z.string()),
	/** `provider:model`; when unset, the first configured provider's default, else `mock:offline`. */
	DEFAULT_MODEL: optional(
		z.string().regex(/^[a-z-]+:.+$/, { message: 'must look like provider:model, e.g. openai:gpt-4o-mini' })
	),
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
	/** Comma-separated origins allowed to call the public APIs from a browser; none by default. */
	CORS_ORIGINS: optional(z.string()),
	/** Largest JSON body, in bytes (1 MB). */
	JSON_BODY_LIMIT: integer(1024 * 1024, 1),
	/** Largest uploaded file, in bytes (25 MB). */
	FILE_SIZE_LIMIT: integer(25 * 1024 * 1024, 1),
	/** Largest request (a multipart upload with all its files), in bytes (100 MB). */
	REQUEST_SIZE_LIMIT: integer(100 * 1024 * 1024, 1),
	/** Requests a minute per API key, user or anonymous caller on streaming endpoints. */
	RATE_LIMIT_PER_MINUTE: integer(60, 1),
	/** A Redis server for resumable streams across server processes. */
	REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, { message: 'must start with redis:// or rediss://' }))
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
