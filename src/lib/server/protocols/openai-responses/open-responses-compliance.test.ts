/**
 * The checks of the Open Responses compliance suite (tests/support/open-responses-compliance.ts),
 * run on the pure parts of the face: each template's request must pass our request schema and
 * normalise, and a run answering it must stream events and a final response that pass the
 * suite's schemas and validators. tests/api/open-responses-compliance.test.ts runs the same
 * templates against the built server.
 */
import { describe, expect, it } from 'vitest';
import {
	COMPLIANCE_TEMPLATES,
	complianceErrors,
	parseSseStream,
	responseResource,
	streamingEvent
} from '../../../../../tests/support/open-responses-compliance';
import type { RunEvent } from '../../runtime/events';
import { createResponseRequestSchema } from './request';
import { toRequestEcho, type OpenResponsesContext } from './response-object';
import { openResponsesStreamResponse } from './to-openai-responses-chunk';
import { toInputMessages } from './to-input-messages';
import { toResponseObject } from './response-object';

// --- Runs as the agent answers each template (an offline model's events).

const runStart: RunEvent = { type: 'run-start', taskId: 'task-1', messageId: 'm-1', model: 'mock:offline' };
const runUsage = { inputTokens: 12, outputTokens: 5 };
function textRun(...deltas: string[]): RunEvent[] {
	return [
		runStart,
		{ type: 'step-start' },
		{ type: 'text-start', id: 't' },
		...deltas.map((delta): RunEvent => ({ type: 'text-delta', id: 't', delta })),
		{ type: 'text-end', id: 't' },
		{ type: 'step-end', usage: runUsage },
		{ type: 'run-end', reason: 'completed', usage: runUsage }
	];
}
const weatherRun: RunEvent[] = [
	runStart,
	{ type: 'step-start' },
	{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'get_weather' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"location":' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '"San Francisco, CA"}' },
	{
		type: 'tool-call-ready',
		toolCallId: 'call_1',
		toolName: 'get_weather',
		input: { location: 'San Francisco, CA' },
		clientExecuted: true
	},
	{ type: 'step-end', usage: runUsage },
	{ type: 'input-required', toolCalls: [{ toolCallId: 'call_1', toolName: 'get_weather', input: { location: 'San Francisco, CA' } }] },
	{ type: 'run-end', reason: 'awaiting-input', usage: runUsage }
];

/** How the agent answers each template here. */
const RUNS: Record<string, RunEvent[]> = {
	'basic-response': textRun('Hello there, friend.'),
	'streaming-response': textRun('1, ', '2, ', '3, ', '4, ', '5'),
	'system-prompt': textRun('Ahoy!'),
	'tool-calling': weatherRun,
	'tool-calling-streaming': weatherRun,
	'image-input': textRun('A red heart.'),
	'multi-turn': textRun('Your name is Alice.')
};
const templates = COMPLIANCE_TEMPLATES.map((template) => ({ ...template, run: RUNS[template.id] }));

/** The events of a run, as a stream. */
function streamOf(run: RunEvent[]): ReadableStream<RunEvent> {
	return new ReadableStream({
		start(controller) {
			for (const event of run) controller.enqueue(event);
			controller.close();
		}
	});
}

describe('the Open Responses compliance templates', () => {
	it.each(templates)('$id: the request is accepted and the answer passes the suite’s checks', async (template) => {
		const body = createResponseRequestSchema.parse({ ...template.request, stream: template.streaming ?? false });
		const normalized = toInputMessages(body.input);
		expect(normalized.entries.length).toBeGreaterThan(0);
		const context: OpenResponsesContext = { id: `resp_${template.id}`, request: toRequestEcho(body) };

		if (template.streaming) {
			const result = await parseSseStream(openResponsesStreamResponse(streamOf(template.run), context));
			expect(complianceErrors(template, result.finalResponse, result)).toStrictEqual([]);
		} else {
			// The JSON answer goes through the wire as JSON.
			const response = JSON.parse(JSON.stringify(await toResponseObject(streamOf(template.run), context)));
			expect(complianceErrors(template, response)).toStrictEqual([]);
		}
	});

	it('image-input: the image reaches the agent as a file part', () => {
		const template = templates.find((candidate) => candidate.id === 'image-input');
		const body = createResponseRequestSchema.parse(template?.request);
		const [entry] = toInputMessages(body.input).entries;
		expect(entry).toMatchObject({
			kind: 'message',
			message: { role: 'user', parts: [{ type: 'text' }, { type: 'file', mediaType: 'image/png' }] }
		});
	});

	it('the schemas catch a response that misses a required field (the checks are not vacuous)', async () => {
		const body = createResponseRequestSchema.parse(templates[0].request);
		const response = await toResponseObject(streamOf(textRun('Hi')), { id: 'resp_x', request: toRequestEcho(body) });
		const { completed_at: _completedAt, ...missing } = response;
		expect(responseResource.safeParse(missing).success).toBe(false);
		expect(streamingEvent.safeParse({ type: 'response.output_text.delta', sequence_number: 1, delta: 'x' }).success).toBe(false);
	});
});
