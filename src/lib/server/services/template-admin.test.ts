import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { parseConfig } from '../config';
import { agents } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import { agentInputSchema, createAgent } from './agent-admin';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, templateInputSchema, updateTemplate } from './template-admin';
import type { Viewer } from './viewer';

const user: Viewer = { kind: 'user', id: 'u1', role: 'user' };
const admin: Viewer = { kind: 'user', id: 'a1', role: 'admin' };

let temp: TempDb;
let context: { db: TempDb['db']; viewer: Viewer };

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	context = { db: temp.db, viewer: admin };
});

afterEach(() => {
	temp.cleanup();
});

async function expectAppError(promise: Promise<unknown>, code: AppErrorCode, field?: string): Promise<void> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(AppError);
	expect((error as AppError).code).toBe(code);
	if (field) expect((error as AppError).field).toBe(field);
}

const greeting = templateInputSchema.parse({ name: 'Greeting', template: 'Greet {{name}}.' });

describe('template admin', () => {
	it('creates, lists, reads, updates and deletes templates', async () => {
		const created = await createTemplate(context, greeting);
		expect(created).toMatchObject({ name: 'Greeting', description: '', template: 'Greet {{name}}.', used_by: [] });
		expect((await listTemplates(context)).map((template) => template.name)).toContain('Greeting');

		const updated = await updateTemplate(context, created.id, { ...greeting, description: 'Says hello' });
		expect(updated.description).toBe('Says hello');
		expect((await getTemplate(context, created.id)).description).toBe('Says hello');

		await deleteTemplate(context, created.id);
		await expectAppError(getTemplate(context, created.id), 'not_found', 'id');
	});

	it('refuses a taken name with a conflict on name', async () => {
		const first = await createTemplate(context, greeting);
		await expectAppError(createTemplate(context, greeting), 'conflict', 'name');
		const second = await createTemplate(context, { ...greeting, name: 'Other' });
		await expectAppError(updateTemplate(context, second.id, greeting), 'conflict', 'name');
		// Keeping its own name is fine.
		await expect(updateTemplate(context, first.id, greeting)).resolves.toMatchObject({ id: first.id });
	});

	it('names the agents that use a template, and unlinks them when it is deleted', async () => {
		const template = await createTemplate(context, greeting);
		const config = parseConfig({});
		const agent = await createAgent(
			{ db: temp.db, config, viewer: admin },
			agentInputSchema.parse({ slug: 'greeter', name: 'Greeter', prompt_template_id: template.id })
		);
		expect((await getTemplate(context, template.id)).used_by).toEqual([{ id: agent.id, slug: 'greeter', name: 'Greeter' }]);

		await deleteTemplate(context, template.id);
		const [row] = await temp.db.select().from(agents).where(eq(agents.id, agent.id));
		expect(row.promptTemplateId).toBeNull();
	});

	it('is for admins only', async () => {
		const userContext = { db: temp.db, viewer: user };
		await expectAppError(listTemplates(userContext), 'forbidden');
		await expectAppError(createTemplate(userContext, greeting), 'forbidden');
	});

	it('requires a name and a template', () => {
		expect(templateInputSchema.safeParse({ name: ' ', template: 'x' }).success).toBe(false);
		expect(templateInputSchema.safeParse({ name: 'x', template: '' }).success).toBe(false);
	});
});
