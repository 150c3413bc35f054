/**
 * Local servers that speak each model provider's wire format byte for byte, for tests that point
 * the AI SDK providers (or the official `openai` SDK) at them instead of the real APIs.
 *
 *     const fake = await startFakeProvider('anthropic');
 *     fake.enqueue({ reasoning: 'Thinking…', toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }] },
 *                  { text: 'It is sunny.' });
 *     const model = createAnthropic({ baseURL: fake.baseURL, apiKey: 'k' })('claude-sonnet-4-5');
 *     // … fake.modelRequests()[1].body holds the replayed thinking block and the tool result.
 *
 * For the built server, pass `fake.baseURL` as OPENAI_BASE_URL, ANTHROPIC_BASE_URL or
 * GOOGLE_GENERATIVE_AI_BASE_URL. Each fake remembers what it handed out (signatures, items), so
 * one fake should serve all the turns of a conversation.
 */
import { anthropicWire } from './anthropic';
import { serveFake, type FakeProvider, type FakeProviderOptions, type ProviderKind, type WireFormat } from './core';
import { googleWire } from './google';
import { openaiChatWire } from './openai-chat';
import { openaiResponsesWire } from './openai-responses';

export type { FakeProvider, FakeProviderOptions, FakeStep, ProviderKind, RecordedRequest } from './core';

/** Each fake gets its own wire format, which remembers the signatures and items it handed out. */
const WIRE_FORMATS: Record<ProviderKind, () => WireFormat> = {
	'openai-responses': openaiResponsesWire,
	'openai-chat': openaiChatWire,
	anthropic: anthropicWire,
	google: googleWire
};

/**
 * Starts a fake provider on 127.0.0.1 (a free port). `models` is what its model list answers
 * (default `['fake-model']`); with `apiKey`, any other key gets the provider's own refusal
 * (OpenAI and Anthropic 401; Gemini 400 API_KEY_INVALID, or 403 without a key).
 */
export function startFakeProvider(kind: ProviderKind, options?: FakeProviderOptions): Promise<FakeProvider> {
	return serveFake(kind, WIRE_FORMATS[kind](), options);
}
