import { describe, expect, it } from 'vitest';
import { buildSystemPrompt, fillTemplate } from './build-prompt';

describe('fillTemplate', () => {
	it('fills variables from the context, nested paths and non-strings included', () => {
		const context = { name: 'Ada', account: { tier: 'pro' }, seats: 3, tags: ['a', 'b'] };
		expect(fillTemplate('Hi {{name}} ({{ account.tier }}), {{seats}} seats, {{tags}}', context)).toBe('Hi Ada (pro), 3 seats, ["a","b"]');
	});

	it('leaves unknown variables empty and other braces alone', () => {
		expect(fillTemplate('[{{missing}}] {single} {{ 9bad }}', {})).toBe('[] {single} {{ 9bad }}');
		expect(fillTemplate('{{name}}', null)).toBe('');
	});
});

describe('buildSystemPrompt', () => {
	it('joins the agent prompt and its filled template', () => {
		expect(
			buildSystemPrompt(
				{ systemPrompt: 'You help {{company}} customers.', promptTemplate: 'The customer is {{user.name}}.' },
				{ company: 'Acme', user: { name: 'Bo' } }
			)
		).toBe('You help Acme customers.\n\nThe customer is Bo.');
	});

	it('adds the system text a caller sent, unfilled, after the agent’s own', () => {
		expect(buildSystemPrompt({ systemPrompt: 'Be brief.' }, { name: 'x' }, ['Answer in French {{name}}.', ' '])).toBe(
			'Be brief.\n\nAnswer in French {{name}}.'
		);
	});

	it('is undefined when there is nothing to say', () => {
		expect(buildSystemPrompt({ systemPrompt: '  ', promptTemplate: null })).toBeUndefined();
		expect(buildSystemPrompt({ systemPrompt: 'Only me' })).toBe('Only me');
	});
});
