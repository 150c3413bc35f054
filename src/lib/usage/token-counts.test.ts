import { describe, expect, it } from 'vitest';
import { describeTokens, formatCount, sumTokenCounts } from './token-counts';

describe('describeTokens', () => {
	it('shows input with its cached part and output with its reasoning part', () => {
		expect(describeTokens({ inputTokens: 1200, cachedInputTokens: 800, outputTokens: 350, reasoningTokens: 120 })).toEqual({
			text: '1,200 in (800 cached) · 350 out (120 reasoning)',
			label: '1,200 input tokens, 800 of them cached; 350 output tokens, 120 of them reasoning'
		});
	});

	it('leaves out the parts that are unknown or 0', () => {
		expect(describeTokens({ inputTokens: 12, outputTokens: 5, reasoningTokens: null, cachedInputTokens: 0 })?.text).toBe('12 in · 5 out');
		expect(describeTokens({ inputTokens: null, outputTokens: 40, reasoningTokens: 30 })?.text).toBe('40 out (30 reasoning)');
		expect(describeTokens({ inputTokens: 9, outputTokens: null, cachedInputTokens: 4 })?.text).toBe('9 in (4 cached)');
	});

	it('is null when neither input nor output is known', () => {
		expect(describeTokens({ inputTokens: null, outputTokens: null })).toBeNull();
		expect(describeTokens({})).toBeNull();
	});
});

describe('sumTokenCounts', () => {
	it('sums each count, unknown only where no item knew it', () => {
		expect(
			sumTokenCounts([
				{ inputTokens: 10, outputTokens: 2, reasoningTokens: null, cachedInputTokens: null },
				{ inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null },
				{ inputTokens: 5, outputTokens: 3, reasoningTokens: 1, cachedInputTokens: 0 }
			])
		).toEqual({ inputTokens: 15, outputTokens: 5, reasoningTokens: 1, cachedInputTokens: 0 });
		expect(sumTokenCounts([])).toEqual({ inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null });
	});
});

describe('formatCount', () => {
	it('writes an unknown count as a dash and a reported 0 as 0', () => {
		expect(formatCount(null)).toBe('—');
		expect(formatCount(undefined)).toBe('—');
		expect(formatCount(0)).toBe('0');
		expect(formatCount(12345)).toBe('12,345');
	});
});
