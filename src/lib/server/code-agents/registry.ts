import { eq, and } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db';
import { agents } from '../db/schema';
import { defaultModelId } from '../models/catalog';
import { agentSlugSchema } from '../services/agent-admin';
import type { CodeAgentDefinition } from './define';

/** A registered code agent: its definition and its id (the slug of its row). */
export interface CodeAgent {
	id: string;
	definition: CodeAgentDefinition;
	/** The field names of its context, injected into tools by name. */
	contextKeys: string[];
}

/** The agent modules: every `.ts` file under `src/agents/` except tests, bundled at build time. */
const modules = import.meta.glob<{ default?: CodeAgentDefinition }>(['/src/agents/**/*.ts', '!/src/agents/**/*.test.ts'], {
	eager: true
});

/** The id a module's path gives: `src/agents/sales/premium.ts` → `sales.premium` (`index.ts` names its folder). */
export function idFromPath(path: string): string {
	const relative = path.replace(/^.*\/src\/agents\//, '').replace(/\.ts$/, '');
	return relative
		.split('/')
		.filter((segment, index, all) => !(segment === 'index' && index === all.length - 1 && all.length > 1))
		.join('.');
}

/** Reads agent definitions from modules (path → module), checking each; a bad one stops start-up with its path. */
export function collectCodeAgents(found: Record<string, { default?: CodeAgentDefinition }>): Map<string, CodeAgent> {
	const result = new Map<string, CodeAgent>();
	for (const [path, module] of Object.entries(found).sort(([a], [b]) => a.localeCompare(b))) {
		const definition = module.default;
		if (!definition || typeof definition !== 'object' || typeof definition.name !== 'string') {
			throw new Error(`${path}: an agent module's default export must be defineAgent({ name, ... }).`);
		}
		const id = definition.id ?? idFromPath(path);
		const slug = agentSlugSchema.safeParse(id);
		if (!slug.success || slug.data !== id) {
			throw new Error(`${path}: the agent id "${id}" ${slug.success ? 'has spaces around it' : slug.error.issues[0].message}.`);
		}
		if (result.has(id)) throw new Error(`${path}: the agent id "${id}" is already used by another module.`);
		result.set(id, { id, definition, contextKeys: Object.keys(definition.Context?.shape ?? {}) });
	}
	return result;
}

let registered: Map<string, CodeAgent> | undefined;

/** The code agents of this build, by id. */
export function codeAgents(): Map<string, CodeAgent> {
	registered ??= collectCodeAgents(modules);
	return registered;
}

/** The code agent behind an agent row's slug, if it is one. */
export function findCodeAgent(slug: string): CodeAgent | undefined {
	return codeAgents().get(slug);
}

/**
 * The JSON Schema of a context shape, as the agent row stores it: what callers may give and
 * admins may edit. When `createContext` fills the context in, a caller need give none of it, so
 * nothing is required there; the whole context is checked once it is made.
 */
export function contextJsonSchema(definition: CodeAgentDefinition): Record<string, unknown> | null {
	if (!definition.Context) return null;
	const { $schema: _ignored, ...schema } = z.toJSONSchema(definition.Context, { io: 'input', unrepresentable: 'any' });
	if (definition.createContext) delete schema.required;
	return schema;
}

/**
 * Mirrors the code agents as read-only agent rows (`source = 'code'`), so that they are listed,
 * chosen and referenced by tasks like any other; a row is updated when its module changed. An
 * agent row of the same slug made by an admin is left alone and the code agent is not served
 * (logged). Rows of code agents whose module is gone stay (their tasks keep their agent) but
 * answer with an error saying so.
 */
export async function syncCodeAgents(db: Db, config: Config, found = codeAgents()): Promise<void> {
	for (const { id, definition } of found.values()) {
		const columns = {
			name: definition.name,
			description: definition.description ?? '',
			systemPrompt: definition.systemPrompt ?? '',
			model: definition.model ?? defaultModelId(config),
			temperature: definition.temperature ?? null,
			maxSteps: definition.maxSteps ?? 5,
			maxRunSeconds: definition.maxRunSeconds ?? 300,
			visibility: definition.visibility ?? 'users',
			promptTemplateId: null,
			contextSchema: contextJsonSchema(definition),
			source: 'code' as const
		};
		const [existing] = await db.select().from(agents).where(eq(agents.slug, id));
		if (existing && existing.source !== 'code') {
			console.error(`[parley] the code agent "${id}" is not served: an agent with that slug was made in the admin pages.`);
			continue;
		}
		if (!existing) {
			await db
				.insert(agents)
				.values({ slug: id, ...columns })
				.onConflictDoNothing({ target: agents.slug });
			continue;
		}
		const changed = (Object.keys(columns) as (keyof typeof columns)[]).some(
			(key) => JSON.stringify(existing[key]) !== JSON.stringify(columns[key])
		);
		if (changed) {
			await db
				.update(agents)
				.set({ ...columns, updatedAt: new Date() })
				.where(and(eq(agents.id, existing.id), eq(agents.source, 'code')));
		}
	}
}
