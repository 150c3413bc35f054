import type { LanguageModelV3 } from '@ai-sdk/provider';
import { streamText } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { ModuleLoadError } from '../modules/lazy-module';
import { LazyLanguageModel } from './lazy-model';
import { OfflineModel } from './offline/offline-model';

/** A lazy model over the offline one, with the number of times it was made. */
function lazyOffline(create = vi.fn(async (): Promise<LanguageModelV3> => new OfflineModel({ modelId: 'offline', tokenDelayMs: 0 }))) {
	return { model: new LazyLanguageModel('mock', 'offline', create), create };
}

async function answerOf(model: LanguageModelV3, prompt = 'Say hello'): Promise<string> {
	const result = streamText({ model, prompt });
	return await result.text;
}

describe('LazyLanguageModel', () => {
	it('makes nothing until first called, then makes its model once', async () => {
		const { model, create } = lazyOffline();
		expect(create).not.toHaveBeenCalled();
		expect(await answerOf(model)).toBe(await answerOf(new OfflineModel({ modelId: 'offline', tokenDelayMs: 0 })));
		await answerOf(model, 'Again');
		expect(create).toHaveBeenCalledTimes(1);
	});

	it('shares one making between calls that start before it is done', async () => {
		let release: () => void = () => {};
		const made = new Promise<void>((resolve) => (release = resolve));
		const { model, create } = lazyOffline(
			vi.fn(async () => {
				await made;
				return new OfflineModel({ modelId: 'offline', tokenDelayMs: 0 });
			})
		);
		const answers = Promise.all([answerOf(model, 'one'), answerOf(model, 'two'), model.supportedUrls]);
		release();
		const [one, two] = await answers;
		expect(one).toContain('one');
		expect(two).toContain('two');
		expect(create).toHaveBeenCalledTimes(1);
	});

	it("fails the call with the feature's error when its package cannot load, and tries again next time", async () => {
		const create = vi
			.fn<() => Promise<LanguageModelV3>>()
			.mockRejectedValueOnce(new ModuleLoadError('Anthropic models', new Error("Cannot find package '@ai-sdk/anthropic'")))
			.mockResolvedValueOnce(new OfflineModel({ modelId: 'offline', tokenDelayMs: 0 }));
		const { model } = lazyOffline(create);
		const errors: unknown[] = [];
		const result = streamText({ model, prompt: 'Say hello', onError: ({ error }) => void errors.push(error) });
		await result.consumeStream();
		expect(errors).toHaveLength(1);
		expect(errors[0]).toBeInstanceOf(ModuleLoadError);
		expect((errors[0] as Error).message).toMatch(/^Anthropic models is not available: .*Cannot find package/);
		expect(await answerOf(model)).toContain('hello');
		expect(create).toHaveBeenCalledTimes(2);
	});
});
