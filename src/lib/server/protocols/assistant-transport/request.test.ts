import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import {
	assistantRequestSchema,
	imageMediaType,
	keptBefore,
	sortCommands,
	threadTaskIdOf,
	toUserParts,
	type AssistantRequest
} from './request';

const ask = (text: string) => ({
	type: 'add-message' as const,
	message: { role: 'user' as const, id: 'm1', parts: [{ type: 'text' as const, text }] },
	parentId: null,
	sourceId: null
});
const answer = (toolCallId: string) => ({ type: 'add-tool-result' as const, toolCallId, result: { ok: true }, isError: false });

/** The first issue's field and message when a body is refused. */
function refusal(body: unknown) {
	const result = assistantRequestSchema.safeParse(body);
	if (result.success) throw new Error('Expected the body to be refused');
	return { field: result.error.issues[0].path.join('.'), message: result.error.issues[0].message };
}

describe('assistantRequestSchema', () => {
	it('accepts the body useAssistantTransportRuntime sends, spread settings included', () => {
		const body = {
			commands: [
				{
					type: 'add-message',
					message: {
						role: 'user',
						id: 'u1',
						parts: [
							{ type: 'text', text: 'Hi' },
							{ type: 'image', image: 'data:image/png;base64,AA==' }
						]
					},
					parentId: null,
					sourceId: null
				}
			],
			state: { messages: [], theme: 'dark' },
			system: undefined,
			tools: { get_weather: { description: 'Weather', parameters: { type: 'object', properties: {} } } },
			threadId: '__LOCALID_abc',
			parentId: null,
			callSettings: { temperature: 0.2 },
			config: { agent: 'tool-demo', modelName: 'x' },
			temperature: 0.2,
			modelName: 'x'
		};
		const parsed = assistantRequestSchema.parse(body);
		expect(parsed.config?.agent).toBe('tool-demo');
		expect(parsed.state?.theme).toBe('dark');
	});

	it('names the field at fault', () => {
		expect(refusal({})).toMatchObject({ field: 'commands' });
		expect(refusal({ commands: [{ type: 'run-code' }] })).toMatchObject({ field: 'commands.0.type' });
		expect(refusal({ commands: [{ type: 'add-message', message: { role: 'user', parts: [] } }] })).toMatchObject({
			field: 'commands.0.message.parts',
			message: 'The message is empty.'
		});
		expect(refusal({ commands: [{ type: 'add-tool-result', result: 1 }] })).toMatchObject({ field: 'commands.0.toolCallId' });
		expect(refusal({ commands: [], state: { taskId: 7 } })).toMatchObject({ field: 'state.taskId' });
		expect(refusal({ commands: [], tools: { 'bad name': { parameters: {} } } })).toMatchObject({ field: 'tools.bad name' });
	});
});

describe('sortCommands', () => {
	it('takes one message, or tool results', () => {
		expect(sortCommands([ask('Hi')])).toStrictEqual({ message: ask('Hi'), toolResults: [] });
		expect(sortCommands([answer('a'), answer('b')])).toStrictEqual({ message: undefined, toolResults: [answer('a'), answer('b')] });
		expect(sortCommands([])).toStrictEqual({ message: undefined, toolResults: [] });
	});

	it('refuses two messages, or a message with tool results', () => {
		for (const commands of [
			[ask('a'), ask('b')],
			[answer('a'), ask('b')]
		]) {
			const error = (() => {
				try {
					sortCommands(commands);
				} catch (thrown) {
					return thrown;
				}
			})();
			expect(error).toBeInstanceOf(AppError);
			expect(error).toMatchObject({ code: 'invalid_input', field: 'commands' });
		}
	});
});

describe('threadTaskIdOf', () => {
	const body = (fields: Partial<AssistantRequest>) => ({ state: null, threadId: null, ...fields });
	it('prefers state.taskId, then a real threadId, and ignores assistant-ui’s local ids', () => {
		expect(threadTaskIdOf(body({ state: { taskId: 'k1' }, threadId: 'k2' }))).toStrictEqual({ id: 'k1', field: 'state.taskId' });
		expect(threadTaskIdOf(body({ threadId: 'k2' }))).toStrictEqual({ id: 'k2', field: 'threadId' });
		expect(threadTaskIdOf(body({ threadId: '__LOCALID_x1' }))).toBeNull();
		expect(threadTaskIdOf(body({ state: { messages: [] } }))).toBeNull();
	});
});

describe('keptBefore', () => {
	const history = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
	it('keeps everything without a parent, else up to the parent', () => {
		expect(keptBefore(history, { parentId: null })).toBe(3);
		expect(keptBefore(history, {})).toBe(3);
		expect(keptBefore(history, { parentId: 'c' })).toBe(3);
		expect(keptBefore(history, { parentId: 'a' })).toBe(1);
		// assistant-ui's edit of the first message: no parent, the edited message as its source.
		expect(keptBefore(history, { parentId: null, sourceId: 'a' })).toBe(0);
	});

	it('refuses a parent that is not in the thread', () => {
		expect(() => keptBefore(history, { parentId: 'zz' })).toThrow('No message "zz" is in this thread.');
	});
});

describe('user parts', () => {
	it('stores images as files with their media type', () => {
		expect(imageMediaType('data:image/webp;base64,AAAA')).toBe('image/webp');
		expect(imageMediaType('https://example.com/cat.JPG?size=2')).toBe('image/jpeg');
		expect(imageMediaType('https://example.com/cat')).toBe('image/*');
		expect(
			toUserParts({
				role: 'user',
				parts: [
					{ type: 'text', text: 'Look' },
					{ type: 'image', image: 'data:image/png;base64,AA==' }
				]
			})
		).toStrictEqual([
			{ type: 'text', text: 'Look' },
			{ type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,AA==' }
		]);
	});
});
