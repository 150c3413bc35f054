/**
 * Local servers that speak each model provider's wire format byte for byte, for tests that point
 * the AI SDK providers (or the official `openai` SDK) at them instead of the real APIs.
 *
 *     const fake = await startFakeProvider('anthropic');
 *     fake.enqueue({ reasoning: 'Thinking…', toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }] },
 *                  { text: 'It is sunny.' });
 *     const model = createAnthropic({ baseURL: fake.baseURL, apiKey: 'k' })('claude-sonnet-4-5');
 *     // … fake.requests[1].body holds the replayed thinking block and the tool result.
 */
import { anthropic } from './anthropic';
import { serveFake, type FakeProvider, type ProviderKind, type WireFormat } from './core';
import { google } from './google';
import { openaiChat } from './openai-chat';
import { openaiResponses } from './openai-responses';

export type { FakeProvider, FakeStep, ProviderKind, RecordedRequest } from './core';

const WIRE_FORMATS: Record<ProviderKind, WireFormat> = {
	'openai-responses': openaiResponses,
	'openai-chat': openaiChat,
	anthropic,
	google
};

/**
 * Starts a fake provider on 127.0.0.1 (a free port). `models` is what its model list answers
 * (default `['fake-model']`); with `apiKey`, any other key gets the provider's own refusal
 * (OpenAI and Anthropic 401; Gemini 400 API_KEY_INVALID, or 403 without a key).
 */
export function startFakeProvider(
	kind: ProviderKind,
	options?: { models?: string[]; apiKey?: string }
): Promise<FakeProvider> {
	return serveFake(kind, WIRE_FORMATS[kind], options);
}
