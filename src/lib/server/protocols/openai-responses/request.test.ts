import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { checkResponsesInput, createResponseRequestSchema, MAX_METADATA_PAIRS, MAX_TOOLS } from './request';

const limits = { HISTORY_MESSAGE_LIMIT: 3, HISTORY_TEXT_LIMIT: 100 };

/** The field of the first problem with a body, as the route names it. */
function fieldAtFault(body: unknown): string | undefined {
	const result = createResponseRequestSchema.safeParse(body);
	return result.success ? undefined : result.error.issues[0].path.join('.');
}

/** A body as the openai SDK types it: what `client.responses.create` sends. */
function sdkBody(body: ResponseCreateParamsNonStreaming): unknown {
	return body;
}

describe('createResponseRequestSchema', () => {
	it('reads a text input as one user message, as input_items lists it', () => {
		const body = createResponseRequestSchema.parse({ model: 'assistant', input: 'Hi' });
		expect(body.input).toStrictEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }]);
		expect(body.store).toBeUndefined();
	});

	it('reads messages of every role, with or without type "message", and content as text or parts', () => {
		const body = createResponseRequestSchema.parse(
			sdkBody({
				model: 'assistant',
				input: [
					{ role: 'system', content: 'Be brief.' },
					{ role: 'developer', content: [{ type: 'input_text', text: 'Use metric units.' }] },
					{ type: 'message', role: 'user', content: 'My name is Alice.' },
					{ role: 'assistant', content: 'Hello Alice!' },
					{
						type: 'message',
						role: 'assistant',
						id: 'msg_1',
						status: 'completed',
						content: [{ type: 'output_text', text: 'How can I help?', annotations: [] }]
					},
					{
						role: 'user',
						content: [
							{ type: 'input_text', text: 'What is this?' },
							{ type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
							{ type: 'input_file', filename: 'notes.txt', file_data: 'aGk=' }
						]
					}
				]
			})
		);
		expect(body.input.map((item) => (item.type === 'message' ? item.role : item.type))).toStrictEqual([
			'system',
			'developer',
			'user',
			'assistant',
			'assistant',
			'user'
		]);
		expect(body.input[3]).toMatchObject({ type: 'message', content: [{ type: 'output_text', text: 'Hello Alice!' }] });
	});

	it('reads function calls, their outputs, reasoning, item references and approval answers', () => {
		const body = createResponseRequestSchema.parse({
			model: 'assistant',
			previous_response_id: 'resp_1',
			input: [
				{ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Think.' }], encrypted_content: null },
				{ type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}', id: 'fc_1' },
				{ type: 'function_call_output', call_id: 'call_1', output: '{"temp":3}' },
				{ type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'done' }] },
				{ type: 'item_reference', id: 'msg_9' },
				{ type: 'mcp_approval_response', approval_request_id: 'approval_1', approve: false, reason: 'Not now.' }
			]
		});
		expect(body.input.map((item) => item.type)).toStrictEqual([
			'reasoning',
			'function_call',
			'function_call_output',
			'function_call_output',
			'item_reference',
			'mcp_approval_response'
		]);
	});

	it('reads tools, tool_choice and the model parameters, and ignores the other parameters of OpenAI’s API', () => {
		const body = createResponseRequestSchema.parse(
			sdkBody({
				model: 'assistant',
				input: 'Hi',
				instructions: 'Be brief.',
				tools: [{ type: 'function', name: 'weather', description: 'The weather.', parameters: { type: 'object' }, strict: true }],
				tool_choice: { type: 'function', name: 'weather' },
				parallel_tool_calls: false,
				max_output_tokens: 256,
				temperature: 0.2,
				top_p: 0.9,
				metadata: { ticket: '42' },
				store: false,
				include: ['reasoning.encrypted_content'],
				reasoning: { effort: 'low', summary: 'auto' },
				text: { format: { type: 'text' }, verbosity: 'low' },
				truncation: 'disabled',
				user: 'alice',
				service_tier: 'auto',
				prompt_cache_key: 'k',
				safety_identifier: 's',
				top_logprobs: 0,
				background: false
			})
		);
		expect(body).toMatchObject({ tool_choice: { type: 'function', name: 'weather' }, store: false, max_output_tokens: 256 });
		for (const choice of ['auto', 'none', 'required']) {
			expect(createResponseRequestSchema.parse({ model: 'a', input: 'Hi', tool_choice: choice }).tool_choice).toBe(choice);
		}
	});

	it.each([
		[{ input: 'Hi' }, 'model'],
		[{ model: 'a' }, 'input'],
		[{ model: 'a', input: [] }, 'input'],
		[{ model: 'a', input: [{ role: 'tool', content: 'x' }] }, 'input.0.role'],
		[{ model: 'a', input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input.0.type'],
		[{ model: 'a', input: [{ role: 'user', content: [] }] }, 'input.0.content'],
		[{ model: 'a', input: [{ role: 'user', content: [{ type: 'input_audio' }] }] }, 'input.0.content.0.type'],
		[{ model: 'a', input: [{ role: 'assistant', content: [{ type: 'input_image' }] }] }, 'input.0.content.0.type'],
		[{ model: 'a', input: [{ type: 'function_call', call_id: 'c', name: 'n' }] }, 'input.0.arguments'],
		[{ model: 'a', input: [{ type: 'function_call', call_id: 'c'.repeat(257), name: 'n', arguments: '{}' }] }, 'input.0.call_id'],
		[{ model: 'a', input: [{ type: 'function_call_output', output: 'x' }] }, 'input.0.call_id'],
		[{ model: 'a', input: [{ type: 'item_reference' }] }, 'input.0.id'],
		[{ model: 'a', input: [{ type: 'mcp_approval_response', approval_request_id: 'a' }] }, 'input.0.approve'],
		[{ model: 'a', input: 'Hi', tools: [{ type: 'web_search' }] }, 'tools.0.type'],
		[{ model: 'a', input: 'Hi', tools: [{ type: 'function', name: 'no spaces' }] }, 'tools.0.name'],
		[{ model: 'a', input: 'Hi', tools: Array.from({ length: MAX_TOOLS + 1 }, (_v, i) => ({ type: 'function', name: `t${i}` })) }, 'tools'],
		[{ model: 'a', input: 'Hi', tool_choice: 'any' }, 'tool_choice'],
		[{ model: 'a', input: 'Hi', tool_choice: { type: 'allowed_tools', tools: [] } }, 'tool_choice'],
		[{ model: 'a', input: 'Hi', temperature: 3 }, 'temperature'],
		[{ model: 'a', input: 'Hi', top_p: -1 }, 'top_p'],
		[{ model: 'a', input: 'Hi', max_output_tokens: 0 }, 'max_output_tokens'],
		[{ model: 'a', input: 'Hi', metadata: { a: 1 } }, 'metadata.a'],
		[{ model: 'a', input: 'Hi', metadata: { ['k'.repeat(65)]: 'v' } }, 'metadata.' + 'k'.repeat(65)],
		[
			{ model: 'a', input: 'Hi', metadata: Object.fromEntries(Array.from({ length: MAX_METADATA_PAIRS + 1 }, (_v, i) => [`k${i}`, 'v'])) },
			'metadata'
		],
		[{ model: 'a', input: 'Hi', store: 'yes' }, 'store'],
		[{ model: 'a', input: 'Hi', previous_response_id: '' }, 'previous_response_id'],
		[{ model: 'a', input: 'Hi', background: true }, 'background']
	])('names the field at fault in %j', (body, field) => {
		expect(fieldAtFault(body)).toBe(field);
	});

	it('says which item types and roles exist', () => {
		const result = createResponseRequestSchema.safeParse({ model: 'a', input: [{ type: 'computer_call' }] });
		expect(result.error?.issues[0].message).toContain('"function_call_output"');
		const role = createResponseRequestSchema.safeParse({ model: 'a', input: [{ role: 'tool', content: 'x' }] });
		expect(role.error?.issues[0].message).toContain('"developer"');
	});
});

describe('checkResponsesInput', () => {
	const parse = (body: unknown) => createResponseRequestSchema.parse(body);

	it('accepts input within the limits', () => {
		expect(() => checkResponsesInput(parse({ model: 'a', input: 'Hi', instructions: 'Be brief.' }), limits)).not.toThrow();
	});

	it('refuses more items than HISTORY_MESSAGE_LIMIT with 413 naming input', () => {
		const input = Array.from({ length: 4 }, () => ({ role: 'user', content: 'x' }));
		const error = catchError(() => checkResponsesInput(parse({ model: 'a', input }), limits));
		expect(error).toMatchObject({ code: 'payload_too_large', options: { field: 'input' } });
		expect(error?.message).toContain('HISTORY_MESSAGE_LIMIT');
	});

	it('counts the instructions towards HISTORY_TEXT_LIMIT, not towards the items', () => {
		const input = Array.from({ length: 3 }, () => ({ role: 'user', content: 'x' }));
		expect(() => checkResponsesInput(parse({ model: 'a', input, instructions: 'short' }), limits)).not.toThrow();
		const error = catchError(() => checkResponsesInput(parse({ model: 'a', input, instructions: 'x'.repeat(100) }), limits));
		expect(error).toMatchObject({ code: 'payload_too_large', options: { field: 'input' } });
		expect(error?.message).toContain('HISTORY_TEXT_LIMIT');
	});
});

/** The AppError a function throws, if any. */
function catchError(run: () => void): AppError | undefined {
	try {
		run();
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	return undefined;
}
