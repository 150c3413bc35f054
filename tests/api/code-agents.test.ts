import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { findTask } from '../../src/lib/server/services/tasks';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

let server: TestServer;
let db: Db;
let key: string;
let userId: string;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
	db = await openDatabase({ url: server.databaseUrl });
	await signUp(server.baseURL, 'owner@example.com');
	await signUp(server.baseURL, 'customer@example.com');
	const [user] = await db.select().from(users).where(eq(users.email, 'customer@example.com'));
	userId = user.id;
	key = (await createApiKey(db, user.id, 'code agents')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Sends one message as an anonymous caller with the AI SDK's own transport; the final answer. */
async function askAnonymously(agentId: string, taskId: string, message: UIMessage, anonymousId: string): Promise<UIMessage> {
	const transport = new DefaultChatTransport({
		api: `${server.baseURL}/api/chat`,
		body: { agentId },
		headers: { 'x-anonymous-id': anonymousId }
	});
	const stream = await transport.sendMessages({
		chatId: taskId,
		messages: [message],
		trigger: 'submit-message',
		messageId: undefined,
		abortSignal: undefined
	});
	let last: UIMessage | undefined;
	for await (const snapshot of readUIMessageStream({ stream, terminateOnError: true })) last = snapshot;
	if (!last) throw new Error('No answer was streamed');
	return last;
}

const textOf = (message: UIMessage) => message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

describe('agents defined in code', () => {
	it('are models on /v1, and their tool gets the caller’s id and plan without the model choosing them', async () => {
		const openai = new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: key, maxRetries: 0 });
		expect(await openai.models.retrieve('support')).toMatchObject({ id: 'support', owned_by: 'parley' });
		const completion = await openai.chat.completions.create({
			model: 'support',
			messages: [{ role: 'user', content: 'What does my support plan include?' }]
		});
		const answer = completion.choices[0].message.content ?? '';
		expect(answer).toContain('support_plan');
		expect(answer).toContain('4 business hours');
		const [task] = await db.query.tasks.findMany({ where: (tasks, { eq }) => eq(tasks.userId, userId) });
		expect(task.context).toEqual({ userId, tier: 'pro' });
		const [, reply] = await listMessages(db, task.id);
		const call = reply.parts.find((part) => part.type === 'tool-support_plan') as { input: object; output: object };
		expect(Object.keys(call.input)).not.toContain('userId');
		expect(call.output).toMatchObject({ userId, tier: 'pro' });
	});

	it('show a widget to an anonymous caller over the UI stream, and its answer books the time', async () => {
		const taskId = `appt_${crypto.randomUUID()}`;
		const anonymousId = crypto.randomUUID();
		const offer = await askAnonymously(
			'appointment',
			taskId,
			{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'Can I book an appointment?' }] },
			anonymousId
		);
		expect(textOf(offer)).toBe('Here are the next free times. Pick the one that suits you:');
		const widget = offer.parts.find((part) => part.type === 'data-widget') as
			{ id: string; data: { type: string; data: { slots: { start: string; end: string }[]; timeZone: string } } } | undefined;
		expect(widget?.data).toMatchObject({ type: 'appointment_picker', data: { timeZone: 'UTC' } });
		expect(widget!.data.data.slots).toHaveLength(12);

		const slot = widget!.data.data.slots[2];
		const booked = await askAnonymously(
			'appointment',
			taskId,
			{
				id: crypto.randomUUID(),
				role: 'user',
				parts: [
					{ type: 'text', text: 'The third time' },
					{ type: 'data-widget-submit', data: { widgetId: widget!.id, type: 'appointment_picker', value: slot } }
				]
			},
			anonymousId
		);
		expect(textOf(booked)).toMatch(/^Your appointment is booked for .+\(UTC\), 30 minutes\. Your reference is APT-/);
		const stored = await listMessages(db, taskId);
		expect(stored.map((message) => message.kind)).toEqual(['user', 'widget', 'user', 'agent']);
		expect(stored[2].parts).toContainEqual({
			type: 'data-widget-submit',
			data: { widgetId: widget!.id, type: 'appointment_picker', value: slot }
		});
		expect((await findTask(db, taskId))?.anonymousId).toBe(anonymousId);
	});

	it('refuse a malformed widget answer with 400 and store nothing', async () => {
		const taskId = `appt_${crypto.randomUUID()}`;
		const response = await fetch(`${server.baseURL}/api/chat`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-anonymous-id': crypto.randomUUID() },
			body: JSON.stringify({
				id: taskId,
				agentId: 'appointment',
				messages: [{ id: 'm1', role: 'user', parts: [{ type: 'data-widget-submit', data: { type: 'x' } }] }]
			})
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({ error: { code: 'invalid_input', field: 'messages' } });
		expect(await findTask(db, taskId)).toBeUndefined();
	});

	it('take a caller’s context on the agent API, checked once made: a bad time zone is refused (422) naming the field', async () => {
		const call = (context: Record<string, unknown>) =>
			fetch(`${server.baseURL}/api/agent/chat/`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
				body: JSON.stringify({ message: 'book an appointment', agent_id: 'appointment', context })
			});
		const tasksBefore = (await db.query.tasks.findMany()).length;
		const refused = await call({ timeZone: 'Mars/Olympus' });
		expect(refused.status).toBe(422);
		expect(await refused.json()).toMatchObject({ error: { field: 'context.timeZone' } });
		expect((await db.query.tasks.findMany()).length).toBe(tasksBefore);
		const accepted = await call({ timeZone: 'Asia/Tokyo' });
		expect(accepted.status).toBe(200);
		const body = await accepted.json();
		expect(body).toMatchObject({ status: 'completed', text: 'Here are the next free times. Pick the one that suits you:' });
		const [, answer] = await listMessages(db, body.session_id);
		expect(answer.parts).toContainEqual(
			expect.objectContaining({
				type: 'data-widget',
				data: expect.objectContaining({ data: expect.objectContaining({ timeZone: 'Asia/Tokyo' }) })
			})
		);
	});
});
