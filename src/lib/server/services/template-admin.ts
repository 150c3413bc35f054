import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { agents, promptTemplates } from '../db/schema';
import { AppError } from '../errors';
import { assertAdmin, isUniqueViolation, type AdminContext } from './agent-admin';

/** The body that creates or replaces a prompt template. */
export const templateInputSchema = z.object({
	name: z.string().trim().min(1, { message: 'must not be empty' }).max(200),
	description: z.string().max(5_000).default(''),
	template: z.string().trim().min(1, { message: 'must not be empty' }).max(100_000)
});

/** A prompt template as written. */
export type TemplateInput = z.infer<typeof templateInputSchema>;

/** An agent that uses a template, as the admin pages name it. */
export interface TemplateUser {
	id: number;
	slug: string;
	name: string;
}

/** A prompt template as the admin pages show it, with the agents that use it. */
export interface TemplateResource {
	id: number;
	name: string;
	description: string;
	template: string;
	used_by: TemplateUser[];
	created_at: string;
	updated_at: string;
}

/** A prompt template row. */
type PromptTemplate = typeof promptTemplates.$inferSelect;

type TemplateContext = Pick<AdminContext, 'db' | 'viewer'>;

function toTemplateResource(row: PromptTemplate, usedBy: TemplateUser[]): TemplateResource {
	return {
		id: row.id,
		name: row.name,
		description: row.description,
		template: row.template,
		used_by: usedBy,
		created_at: row.createdAt.toISOString(),
		updated_at: row.updatedAt.toISOString()
	};
}

/** The agents that use each template, by template id. */
async function usersOf(db: Db): Promise<Map<number, TemplateUser[]>> {
	const rows = await db
		.select({ id: agents.id, slug: agents.slug, name: agents.name, templateId: agents.promptTemplateId })
		.from(agents)
		.orderBy(asc(agents.id));
	const byTemplate = new Map<number, TemplateUser[]>();
	for (const { templateId, ...agent } of rows) {
		if (templateId === null) continue;
		byTemplate.set(templateId, [...(byTemplate.get(templateId) ?? []), agent]);
	}
	return byTemplate;
}

function nameTaken(name: string): AppError {
	return new AppError('conflict', `A prompt template named "${name}" already exists.`, { field: 'name' });
}

async function findTemplateRow(db: Db, id: number): Promise<PromptTemplate> {
	const [row] = await db.select().from(promptTemplates).where(eq(promptTemplates.id, id));
	if (!row) throw new AppError('not_found', `No prompt template ${id} was found.`, { field: 'id' });
	return row;
}

async function assertNameFree(db: Db, name: string, ownId?: number): Promise<void> {
	const [clash] = await db.select({ id: promptTemplates.id }).from(promptTemplates).where(eq(promptTemplates.name, name));
	if (clash && clash.id !== ownId) throw nameTaken(name);
}

/** Every prompt template, by name (admins only). */
export async function listTemplates({ db, viewer }: TemplateContext): Promise<TemplateResource[]> {
	assertAdmin(viewer);
	const [rows, users] = await Promise.all([db.select().from(promptTemplates).orderBy(asc(promptTemplates.name)), usersOf(db)]);
	return rows.map((row) => toTemplateResource(row, users.get(row.id) ?? []));
}

/** One prompt template (admins only); `not_found` otherwise. */
export async function getTemplate({ db, viewer }: TemplateContext, id: number): Promise<TemplateResource> {
	assertAdmin(viewer);
	const row = await findTemplateRow(db, id);
	return toTemplateResource(row, (await usersOf(db)).get(row.id) ?? []);
}

/** Creates a prompt template (admins only); `conflict` on `name` when the name is taken. */
export async function createTemplate({ db, viewer }: TemplateContext, input: TemplateInput): Promise<TemplateResource> {
	assertAdmin(viewer);
	await assertNameFree(db, input.name);
	try {
		const [row] = await db.insert(promptTemplates).values(input).returning();
		return toTemplateResource(row, []);
	} catch (error) {
		if (isUniqueViolation(error)) throw nameTaken(input.name);
		throw error;
	}
}

/** Replaces a prompt template (admins only). */
export async function updateTemplate({ db, viewer }: TemplateContext, id: number, input: TemplateInput): Promise<TemplateResource> {
	assertAdmin(viewer);
	await findTemplateRow(db, id);
	await assertNameFree(db, input.name, id);
	try {
		const [row] = await db
			.update(promptTemplates)
			.set({ ...input, updatedAt: new Date() })
			.where(eq(promptTemplates.id, id))
			.returning();
		return toTemplateResource(row, (await usersOf(db)).get(id) ?? []);
	} catch (error) {
		if (isUniqueViolation(error)) throw nameTaken(input.name);
		throw error;
	}
}

/** Deletes a prompt template (admins only); the agents that used it go on without one. */
export async function deleteTemplate({ db, viewer }: TemplateContext, id: number): Promise<void> {
	assertAdmin(viewer);
	await findTemplateRow(db, id);
	// The foreign key sets these to null too, but not every database enforces foreign keys.
	await db.batch([
		db.update(agents).set({ promptTemplateId: null }).where(eq(agents.promptTemplateId, id)),
		db.delete(promptTemplates).where(eq(promptTemplates.id, id))
	]);
}
