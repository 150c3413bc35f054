import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { startFakeProvider, type FakeProvider } from '../support/fake-providers';

/** Runs `npm run cli -- check-providers …` (tests/support/cli.ts), without blocking the fakes (in this process). */
const checkProviders = (env: Record<string, string>, ...args: string[]) => runCli(['check-providers', ...args], env);

/** The table row of a provider. */
function rowOf(stdout: string, provider: string): string {
	const row = stdout.split('\n').find((line) => line.startsWith(`${provider} `));
	expect(row, `no row for ${provider} in:\n${stdout}`).toBeDefined();
	return row ?? '';
}

/** The cells of a row, split on runs of two or more spaces. */
function cellsOf(row: string): string[] {
	return row.split(/ {2,}/);
}

const fakes: FakeProvider[] = [];

async function fake(...args: Parameters<typeof startFakeProvider>): Promise<FakeProvider> {
	const started = await startFakeProvider(...args);
	fakes.push(started);
	return started;
}

afterEach(async () => {
	await Promise.all(fakes.splice(0).map((started) => started.close()));
});

/** The answers of a provider that can do everything: text, a tool call, reasoning with text. */
function answersEverything(provider: FakeProvider) {
	provider.enqueue(
		{ text: 'OK', usage: { input: 9, output: 2 } },
		{ toolCalls: [{ name: 'ping', input: {} }] },
		{ reasoning: 'Seventeen and twenty-five make forty-two.', text: '42', usage: { reasoning: 12 } }
	);
}

describe('npm run cli -- check-providers', () => {
	it('says so when no hosted provider is configured, and exits 0', async () => {
		const result = await checkProviders({});
		expect(result.status).toBe(0);
		expect(result.stdout.trim()).toBe('No hosted provider is configured; the offline model needs no check.');
		const misnamed = await checkProviders({ DEFAULT_MODEL: 'anthropic:claude-haiku-4-5' });
		expect(misnamed.status).toBe(0);
		expect(misnamed.stdout).toContain(
			'DEFAULT_MODEL is anthropic:claude-haiku-4-5, whose provider is not configured: new agents cannot be created with it.'
		);
	});

	it('checks every provider on its own wire format: text, tools, reasoning and usage', async () => {
		const openai = await fake('openai-responses', { apiKey: 'sk-openai', models: ['gpt-5-mini'] });
		const anthropic = await fake('anthropic', { apiKey: 'sk-ant' });
		const google = await fake('google', { apiKey: 'g-key' });
		const compatible = await fake('openai-chat', { models: ['listed-model'] });
		for (const provider of [openai, anthropic, google, compatible]) answersEverything(provider);

		const result = await checkProviders({
			OPENAI_API_KEY: 'sk-openai',
			OPENAI_BASE_URL: openai.baseURL,
			ANTHROPIC_API_KEY: 'sk-ant',
			ANTHROPIC_BASE_URL: anthropic.baseURL,
			GOOGLE_GENERATIVE_AI_API_KEY: 'g-key',
			GOOGLE_GENERATIVE_AI_BASE_URL: google.baseURL,
			OPENAI_COMPATIBLE_BASE_URL: compatible.baseURL,
			DEFAULT_MODEL: 'anthropic:claude-haiku-4-5'
		});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('Every configured provider answers text.');

		const expectedModels: Record<string, string> = {
			// The gateway at OPENAI_BASE_URL lists its models; the first is checked.
			OpenAI: 'openai:gpt-5-mini',
			// DEFAULT_MODEL is checked for its provider.
			Anthropic: 'anthropic:claude-haiku-4-5',
			Google: 'google:gemini-2.5-flash',
			// The server's own list names the model.
			'OpenAI-compatible': 'compatible:listed-model'
		};
		for (const [provider, model] of Object.entries(expectedModels)) {
			const [, shownModel, text, tools, reasoning, usage, problem] = cellsOf(rowOf(result.stdout, provider));
			expect({ provider, shownModel, text, tools, reasoning, problem }).toEqual({
				provider,
				shownModel: model,
				text: '✓',
				tools: '✓',
				reasoning: '✓',
				problem: undefined
			});
			expect(usage).toMatch(/^✓ 9 in, 2 out/);
		}

		// Each provider got three model requests: the text, the tool (offered by name) and the
		// reasoning one, with Parley's low reasoning options.
		for (const provider of [openai, anthropic, google, compatible]) expect(provider.modelRequests()).toHaveLength(3);
		expect(JSON.stringify(openai.modelRequests()[1].body.tools)).toContain('"ping"');
		expect(openai.modelRequests()[2].body.reasoning).toMatchObject({ effort: 'low' });
		expect(anthropic.modelRequests()[2].body.thinking).toMatchObject({ type: 'enabled', budget_tokens: 1024 });
		expect(google.modelRequests()[2].body.generationConfig.thinkingConfig).toMatchObject({ includeThoughts: true });
		expect(compatible.modelRequests()[0].body.stream_options).toEqual({ include_usage: true });
		expect(compatible.modelRequests()[2].body.reasoning_effort).toBe('low');
	});

	it('exits 1 when a configured provider cannot answer text, naming the status and the provider’s message', async () => {
		const compatible = await fake('openai-chat', { models: ['fake-model'] });
		answersEverything(compatible);
		const anthropic = await fake('anthropic', { apiKey: 'the-right-key' });

		const result = await checkProviders({
			ANTHROPIC_API_KEY: 'a-wrong-key',
			ANTHROPIC_BASE_URL: anthropic.baseURL,
			OPENAI_COMPATIBLE_BASE_URL: compatible.baseURL
		});
		expect(result.status).toBe(1);
		const [, model, text, tools, reasoning, usage, problem] = cellsOf(rowOf(result.stdout, 'Anthropic'));
		expect({ model, text, tools, reasoning, usage }).toEqual({
			model: 'anthropic:claude-sonnet-4-5',
			text: '✗',
			tools: '·',
			reasoning: '·',
			usage: '·'
		});
		expect(problem).toBe('text: HTTP 401 Unauthorized: invalid x-api-key');
		// Once text fails, nothing more is asked.
		expect(anthropic.modelRequests()).toHaveLength(1);
		expect(cellsOf(rowOf(result.stdout, 'OpenAI-compatible')).slice(2, 5)).toEqual(['✓', '✓', '✓']);
		expect(result.stdout).toContain('Anthropic cannot answer text');
		expect(result.stdout).not.toMatch(/\s+at .+:\d+:\d+/);
		expect(result.stderr).toBe('');
	});

	it('names an error status the provider sends, a provider that does not answer in time, and a model that does not reason', async () => {
		const openai = await fake('openai-responses', { models: ['gpt-4.1-mini'] });
		openai.enqueue({ text: 'OK' }, { toolCalls: [{ name: 'ping', input: {} }] }, { text: '42' });
		const google = await fake('google');
		google.enqueue({ httpError: { status: 429, message: 'Resource has been exhausted (e.g. check quota).' } });
		const compatible = await fake('openai-chat');
		compatible.enqueue({ text: 'O', hang: true });

		const result = await checkProviders(
			{
				OPENAI_API_KEY: 'sk',
				OPENAI_BASE_URL: openai.baseURL,
				GOOGLE_GENERATIVE_AI_API_KEY: 'g-key',
				GOOGLE_GENERATIVE_AI_BASE_URL: google.baseURL,
				OPENAI_COMPATIBLE_BASE_URL: compatible.baseURL,
				OPENAI_COMPATIBLE_MODELS: 'slow-model'
			},
			'--timeout',
			'1'
		);
		expect(result.status).toBe(1);
		expect(cellsOf(rowOf(result.stdout, 'Google')).at(-1)).toBe(
			'text: HTTP 429 Too Many Requests: Resource has been exhausted (e.g. check quota).'
		);
		expect(cellsOf(rowOf(result.stdout, 'OpenAI-compatible')).at(-1)).toBe('text: no answer within 1 s');
		// A model that takes no reasoning options answers without reasoning: not a failure, with the reason below.
		expect(cellsOf(rowOf(result.stdout, 'OpenAI')).slice(1, 5)).toEqual(['openai:gpt-4.1-mini', '✓', '✓', '– none returned']);
		expect(result.stdout).toContain('Warnings of the requests:\n  OpenAI: reasoningEffort is not supported for non-reasoning models');
		expect(result.stderr).toBe('');
		await compatible.waitForClientClose(compatible.requests.indexOf(compatible.modelRequests()[0]));
	});

	it('refuses a bad --timeout', async () => {
		const result = await checkProviders({ OPENAI_API_KEY: 'sk' }, '--timeout', 'soon');
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('--timeout must be a number of seconds');
	});
});
