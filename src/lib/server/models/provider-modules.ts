/**
 * The hosted providers' AI SDK packages, each loaded when a model of that provider is first
 * called: a server on the offline model, or on one provider, neither reads nor keeps the others.
 */
import { lazyModule } from '../modules/lazy-module';

export const loadOpenAI = lazyModule('OpenAI models', () => import('@ai-sdk/openai'));
export const loadAnthropic = lazyModule('Anthropic models', () => import('@ai-sdk/anthropic'));
export const loadGoogle = lazyModule('Google models', () => import('@ai-sdk/google'));
export const loadOpenAICompatible = lazyModule('OpenAI-compatible models', () => import('@ai-sdk/openai-compatible'));
