import { describe, expect, it, vi } from 'vitest';
import { lazyModule, ModuleLoadError } from './lazy-module';

describe('lazyModule', () => {
	it('loads nothing until first needed, then loads once', async () => {
		const load = vi.fn(async () => ({ answer: 42 }));
		const get = lazyModule('Answers', load);
		expect(load).not.toHaveBeenCalled();
		const first = await get();
		expect(await get()).toBe(first);
		expect(load).toHaveBeenCalledTimes(1);
	});

	it('shares one load between uses that start while it loads', async () => {
		let finish: (value: { answer: number }) => void = () => {};
		const load = vi.fn(() => new Promise<{ answer: number }>((resolve) => (finish = resolve)));
		const get = lazyModule('Answers', load);
		const uses = [get(), get(), get()];
		finish({ answer: 42 });
		const modules = await Promise.all(uses);
		expect(new Set(modules).size).toBe(1);
		expect(load).toHaveBeenCalledTimes(1);
	});

	it("reports a failed load as the feature's error, and tries again on the next use", async () => {
		const load = vi.fn().mockRejectedValueOnce(new Error('Cannot find module')).mockResolvedValueOnce({ answer: 42 });
		const get = lazyModule('DOCX reading', load);
		const failure = await get().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(ModuleLoadError);
		expect(failure).toMatchObject({ feature: 'DOCX reading', message: expect.stringContaining('Cannot find module') });
		expect((failure as Error).message).toMatch(/^DOCX reading is not available/);
		expect(await get()).toEqual({ answer: 42 });
		expect(load).toHaveBeenCalledTimes(2);
	});
});
