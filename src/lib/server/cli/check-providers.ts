/**
 * `npm run cli -- check-providers [--timeout S]`: one tiny request per check to each configured
 * hosted provider — a text answer, a tool call, reasoning, and whether usage is reported — and a
 * table of what works, with the cause of what does not. It exits non-zero when a configured
 * provider cannot answer text.
 */
import { STATUS_CODES } from 'node:http';
import { APICallError, LoadAPIKeyError, RetryError, streamText, tool, type CallWarning, type LanguageModelUsage } from 'ai';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../errors';
import { isProviderConfigured, listModelOptions, parseModelId, providerName, type ProviderId } from '../models/catalog';
import { refreshProviderModels } from '../models/provider-models';
import { reasoningSettings } from '../models/provider-options';
import { resolveModel } from '../models/registry';

/** The hosted providers, in the order they are checked and shown. */
const hostedProviders = ['openai', 'anthropic', 'google', 'compatible'] as const satisfies readonly ProviderId[];
type HostedProvider = (typeof hostedProviders)[number];

/** How one check went: it worked, it failed (with a cause), the model did without it, or it was not tried. */
export type CheckOutcome =
	{ state: 'ok'; note?: string } | { state: 'failed'; cause: string } | { state: 'none'; note: string } | { state: 'skipped' };

/** The checks of one provider. */
export interface ProviderCheck {
	provider: HostedProvider;
	/** The `provider:model` checked; empty when the provider offers none. */
	model: string;
	text: CheckOutcome;
	tools: CheckOutcome;
	reasoning: CheckOutcome;
	/** What the text answer reported as usage, e.g. `9 in, 2 out`, or that it reported none. */
	usage: CheckOutcome;
	/** The AI SDK's warnings about the requests (e.g. an option the model does not take), each once. */
	notes: string[];
}

/** The hosted providers a configuration has keys or endpoints for. */
function configuredProviders(config: Config): HostedProvider[] {
	return hostedProviders.filter((provider) => isProviderConfigured(config, provider));
}

/** The model checked for a provider: `DEFAULT_MODEL` when it is that provider's, else the first of the menu. */
export function modelToCheck(config: Config, provider: HostedProvider): string | undefined {
	if (config.DEFAULT_MODEL && parseModelId(config.DEFAULT_MODEL).provider === provider) return config.DEFAULT_MODEL;
	return listModelOptions(config).find((option) => option.provider === provider)?.id;
}

/** One line, at most `max` characters. */
function oneLine(text: string, max = 200): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The cause of a failed request as an operator reads it: the HTTP status and the provider's message, a timeout, … */
export function describeFailure(error: unknown, timeoutMs: number): string {
	const cause = RetryError.isInstance(error) ? error.lastError : error;
	if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) {
		return `no answer within ${timeoutMs / 1000} s`;
	}
	if (LoadAPIKeyError.isInstance(cause)) return oneLine(cause.message);
	if (APICallError.isInstance(cause)) {
		if (cause.statusCode === undefined) {
			const code = (cause.cause as { code?: string } | undefined)?.code;
			const inner = cause.cause as { code?: string; message?: string } | undefined;
			const reason =
				code === 'ECONNREFUSED'
					? 'connection refused'
					: code === 'ENOTFOUND'
						? 'host not found'
						: code === 'ECONNRESET'
							? 'connection reset'
							: (code ?? inner?.message);
			return oneLine(reason ? `cannot connect to ${cause.url}: ${reason}` : cause.message);
		}
		const status = `HTTP ${cause.statusCode}${STATUS_CODES[cause.statusCode] ? ` ${STATUS_CODES[cause.statusCode]}` : ''}`;
		const message = oneLine(cause.message);
		return message && message !== STATUS_CODES[cause.statusCode] ? `${status}: ${message}` : status;
	}
	if (cause instanceof Error) return oneLine(`${cause.name === 'Error' ? '' : `${cause.name}: `}${cause.message}`);
	return oneLine(String(cause));
}

/** What one streamed request gave. */
interface Answer {
	warnings: string[];
	text: string;
	reasoning: string;
	toolCalls: string[];
	usage: LanguageModelUsage | undefined;
}

/** Streams one request, as Parley's chat does, and gathers what came; a stream error or a timeout throws. */
async function ask(
	config: Config,
	modelId: string,
	timeoutMs: number,
	request: Pick<Parameters<typeof streamText>[0], 'providerOptions' | 'maxOutputTokens' | 'tools' | 'toolChoice'> & { prompt: string }
): Promise<Answer> {
	const signal = AbortSignal.timeout(timeoutMs);
	const answer: Answer = { warnings: [], text: '', reasoning: '', toolCalls: [], usage: undefined };
	const result = streamText({
		model: resolveModel(config, modelId),
		maxRetries: 0,
		abortSignal: signal,
		// A small answer: enough for a model that reasons before it answers.
		maxOutputTokens: 1024,
		// Errors come through the stream and are told in the table, without stack traces.
		onError: () => {},
		...request
	});
	for await (const part of result.fullStream) {
		if (part.type === 'start-step') answer.warnings.push(...part.warnings.map(warningText));
		else if (part.type === 'text-delta') answer.text += part.text;
		else if (part.type === 'reasoning-delta') answer.reasoning += part.text;
		else if (part.type === 'tool-call') answer.toolCalls.push(part.toolName);
		else if (part.type === 'finish') answer.usage = part.totalUsage;
		else if (part.type === 'error') throw part.error;
		else if (part.type === 'abort') throw signal.reason ?? new DOMException('aborted', 'AbortError');
	}
	if (signal.aborted) throw signal.reason;
	return answer;
}

/** A warning of the AI SDK as a sentence. */
function warningText(warning: CallWarning): string {
	if (warning.type === 'other') return oneLine(warning.message);
	if (warning.details) return oneLine(warning.details);
	return warning.type === 'unsupported' ? `${warning.feature} is not supported` : `${warning.feature} is used in a compatibility mode`;
}

/** Whether any usage figure was reported. */
function usageOf(usage: LanguageModelUsage | undefined): CheckOutcome {
	if (!usage || (usage.inputTokens === undefined && usage.outputTokens === undefined)) {
		return { state: 'none', note: 'not reported' };
	}
	const parts = [`${usage.inputTokens ?? '?'} in`, `${usage.outputTokens ?? '?'} out`];
	const reasoning = usage.outputTokenDetails?.reasoningTokens;
	if (reasoning) parts.push(`${reasoning} reasoning`);
	return { state: 'ok', note: parts.join(', ') };
}

/** Runs every check of one provider; tools and reasoning are tried only once text works. */
export async function checkProvider(config: Config, provider: HostedProvider, timeoutMs: number): Promise<ProviderCheck> {
	const model = modelToCheck(config, provider);
	const skipped: CheckOutcome = { state: 'skipped' };
	if (!model) {
		const cause =
			provider === 'compatible'
				? 'no model to check: the server lists none; set OPENAI_COMPATIBLE_MODELS or DEFAULT_MODEL'
				: 'no model to check: set DEFAULT_MODEL';
		return { provider, model: '', text: { state: 'failed', cause }, tools: skipped, reasoning: skipped, usage: skipped, notes: [] };
	}
	const check: ProviderCheck = { provider, model, text: skipped, tools: skipped, reasoning: skipped, usage: skipped, notes: [] };
	const note = (warnings: string[]) => {
		for (const warning of warnings) if (!check.notes.includes(warning)) check.notes.push(warning);
	};
	try {
		const answer = await ask(config, model, timeoutMs, { prompt: 'Say OK.' });
		note(answer.warnings);
		check.text = answer.text.trim() ? { state: 'ok' } : { state: 'failed', cause: 'the model answered with no text' };
		check.usage = usageOf(answer.usage);
	} catch (error) {
		check.text = { state: 'failed', cause: describeFailure(error, timeoutMs) };
		return check;
	}
	// One request at a time, so that a provider's rate limit is not what the check measures.
	check.tools = await checkTools(config, model, timeoutMs, note);
	check.reasoning = await checkReasoning(config, model, timeoutMs, note);
	return check;
}

/** Asks the model to call a trivial tool. */
async function checkTools(config: Config, model: string, timeoutMs: number, note: (warnings: string[]) => void): Promise<CheckOutcome> {
	try {
		const answer = await ask(config, model, timeoutMs, {
			prompt: 'Call the tool "ping" now. Do not answer in words.',
			tools: {
				ping: tool({ description: 'Checks that tools work. Call it when asked to.', inputSchema: z.object({}) })
			}
		});
		note(answer.warnings);
		return answer.toolCalls.includes('ping') ? { state: 'ok' } : { state: 'failed', cause: 'the model answered without calling the tool' };
	} catch (error) {
		return { state: 'failed', cause: describeFailure(error, timeoutMs) };
	}
}

/** Asks for an answer with reasoning at the low level, with the options Parley's agents send. */
async function checkReasoning(config: Config, model: string, timeoutMs: number, note: (warnings: string[]) => void): Promise<CheckOutcome> {
	const settings = reasoningSettings(model, 'low');
	try {
		const answer = await ask(config, model, timeoutMs, {
			prompt: 'What is 17 + 25? Answer with the number only.',
			providerOptions: settings.providerOptions,
			maxOutputTokens: settings.maxOutputTokens ?? 2048
		});
		note(answer.warnings);
		if (answer.reasoning.trim()) return { state: 'ok' };
		const tokens = answer.usage?.outputTokenDetails?.reasoningTokens;
		if (tokens) return { state: 'ok', note: `${tokens} tokens, not shown` };
		return { state: 'none', note: 'none returned' };
	} catch (error) {
		return { state: 'failed', cause: describeFailure(error, timeoutMs) };
	}
}

/** The cell of an outcome. */
function cell(outcome: CheckOutcome): string {
	switch (outcome.state) {
		case 'ok':
			return outcome.note ? `✓ ${outcome.note}` : '✓';
		case 'failed':
			return '✗';
		case 'none':
			return `– ${outcome.note}`;
		case 'skipped':
			return '·';
	}
}

/** The problems of a row: each failed check with its cause, the same cause said once. */
function problems(check: ProviderCheck): string {
	const failed = (['text', 'tools', 'reasoning'] as const).flatMap((name) => {
		const outcome = check[name];
		return outcome.state === 'failed' ? [{ name, cause: outcome.cause }] : [];
	});
	if (failed.length > 1 && failed.every((item) => item.cause === failed[0].cause)) {
		return `${failed.map((item) => item.name).join(', ')}: ${failed[0].cause}`;
	}
	return failed.map((item) => `${item.name}: ${item.cause}`).join('; ');
}

/** The table of the checks, columns padded to their widest cell. */
export function formatChecks(checks: ProviderCheck[]): string {
	const header = ['Provider', 'Model', 'Text', 'Tools', 'Reasoning', 'Usage', 'Problem'];
	const rows = checks.map((check) => [
		providerName(check.provider),
		check.model || '(none)',
		cell(check.text),
		cell(check.tools),
		cell(check.reasoning),
		cell(check.usage),
		problems(check)
	]);
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => [...row[column]].length)));
	const line = (cells: string[]) =>
		cells
			.map((value, column) => (column === cells.length - 1 ? value : value + ' '.repeat(widths[column] - [...value].length)))
			.join('  ')
			.trimEnd();
	return [line(header), ...rows.map(line)].join('\n');
}

/** Options of the command. */
export interface CheckProvidersOptions {
	/** Per request, in milliseconds. */
	timeoutMs: number;
	/** Where lines go (stdout). */
	print: (text: string) => void;
}

/**
 * Checks every configured hosted provider and prints the table; resolves to the exit code: 1
 * when a configured provider cannot answer text, else 0.
 */
export async function checkProviders(config: Config, { timeoutMs, print }: CheckProvidersOptions): Promise<number> {
	// The AI SDK's warnings are listed under the table instead of logged as they come.
	globalThis.AI_SDK_LOG_WARNINGS = false;
	const providers = configuredProviders(config);
	const preferred = config.DEFAULT_MODEL ? parseModelId(config.DEFAULT_MODEL).provider : 'mock';
	const unconfigured =
		preferred !== 'mock' && !isProviderConfigured(config, preferred)
			? `DEFAULT_MODEL is ${config.DEFAULT_MODEL}, whose provider is not configured: new agents cannot be created with it.`
			: undefined;
	if (providers.length === 0) {
		print('No hosted provider is configured; the offline model needs no check.');
		if (unconfigured) print(unconfigured);
		return 0;
	}
	if (unconfigured) print(`${unconfigured}\n`);
	// The menu of an OpenAI-compatible server (or gateway) is what it lists: read it first.
	await refreshProviderModels(config);
	print(
		`Checking ${providers.length === 1 ? '1 provider' : `${providers.length} providers`} (at most ${timeoutMs / 1000} s per request)…\n`
	);
	const checks = await Promise.all(providers.map((provider) => checkProvider(config, provider, timeoutMs)));
	print(formatChecks(checks));
	print('\n✓ works  ✗ failed  – the model answered without it  · not tried');
	const notes = checks.flatMap((check) => check.notes.map((text) => `  ${providerName(check.provider)}: ${text}`));
	if (notes.length > 0) print(`\nWarnings of the requests:\n${notes.join('\n')}`);
	const silent = checks.filter((check) => check.text.state !== 'ok');
	if (silent.length > 0) {
		print(
			`\n${silent.map((check) => providerName(check.provider)).join(', ')} cannot answer text: check ${silent.length === 1 ? 'its' : 'their'} key, endpoint and model.`
		);
		return 1;
	}
	print(`\nEvery configured provider answers text.`);
	return 0;
}

/** The `--timeout` option in seconds (30 by default, at most 600), as milliseconds. */
export function parseTimeout(value: string | undefined): number {
	if (value === undefined) return 30_000;
	const seconds = Number(value);
	if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
		throw new AppError('invalid_input', `--timeout must be a number of seconds above 0 and at most 600, not "${value}".`);
	}
	return Math.round(seconds * 1000);
}
