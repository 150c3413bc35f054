import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from './request';
import { toTurnSettings } from './to-caller-turn';

const base = { model: 'assistant', messages: [{ role: 'user', content: 'Hi' }] };

/** The settings of a request body, validated as the route validates it. */
function settingsOf(extra: Record<string, unknown>) {
	return toTurnSettings(chatCompletionRequestSchema.parse({ ...base, ...extra }));
}

/** The path of the first issue of a body the schema refuses. */
function refusedAt(extra: Record<string, unknown>): string {
	const result = chatCompletionRequestSchema.safeParse({ ...base, ...extra });
	if (result.success) throw new Error('The body was accepted');
	return result.error.issues[0].path.join('.');
}

describe('toTurnSettings', () => {
	it('leaves a turn without settings when none are sent (or null)', () => {
		expect(settingsOf({})).toBeUndefined();
		expect(settingsOf({ tool_choice: null, response_format: null, max_tokens: null, temperature: null })).toBeUndefined();
	});

	it('takes the tool choice, a named function as a named tool', () => {
		expect(settingsOf({ tool_choice: 'none' })).toStrictEqual({ toolChoice: 'none' });
		expect(settingsOf({ tool_choice: 'required' })).toStrictEqual({ toolChoice: 'required' });
		expect(settingsOf({ tool_choice: { type: 'function', function: { name: 'get_weather' } } })).toStrictEqual({
			toolChoice: { type: 'tool', toolName: 'get_weather' }
		});
	});

	it('takes the response format as JSON output, with its schema', () => {
		expect(settingsOf({ response_format: { type: 'text' } })).toBeUndefined();
		expect(settingsOf({ response_format: { type: 'json_object' } })).toStrictEqual({ output: { type: 'json' } });
		const schema = { type: 'object', properties: { a: { type: 'string' } } };
		expect(
			settingsOf({ response_format: { type: 'json_schema', json_schema: { name: 'thing', description: 'A thing', schema, strict: true } } })
		).toStrictEqual({ output: { type: 'json', name: 'thing', description: 'A thing', schema } });
	});

	it('takes max_completion_tokens over max_tokens, and the temperature', () => {
		expect(settingsOf({ max_tokens: 100, temperature: 0.2 })).toStrictEqual({ maxOutputTokens: 100, temperature: 0.2 });
		expect(settingsOf({ max_tokens: 100, max_completion_tokens: 50 })).toStrictEqual({ maxOutputTokens: 50 });
	});

	it('refuses bad values, naming the field', () => {
		expect(refusedAt({ tool_choice: 'sometimes' })).toBe('tool_choice');
		expect(refusedAt({ tool_choice: { type: 'function', function: {} } })).toMatch(/^tool_choice/);
		expect(refusedAt({ response_format: { type: 'xml' } })).toMatch(/^response_format/);
		expect(refusedAt({ response_format: { type: 'json_schema', json_schema: { name: 'bad name!' } } })).toBe(
			'response_format.json_schema.name'
		);
		expect(refusedAt({ max_tokens: 0 })).toBe('max_tokens');
		expect(refusedAt({ max_completion_tokens: 1.5 })).toBe('max_completion_tokens');
		expect(refusedAt({ temperature: 3 })).toBe('temperature');
	});
});
