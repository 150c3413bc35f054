import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { agents, type MessageRole, type MessageStatus, type StoredParts } from '../db/schema';
import { fileIdOfSharedPart } from './share-links';
import { findFiles } from '../files/file-records';
import { fileUrl } from '../files/file-urls';
import { listMessages, partsForViewers } from './messages';
import { getOwnTask } from './tasks';

/** The formats a task can be exported in. */
export const exportFormats = ['md', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** A message as an export keeps it: its parts in AI SDK UIMessage form, files by link. */
export interface ExportedMessage {
	id: string;
	role: MessageRole;
	status: MessageStatus;
	/** Why the answer failed, when `status` is `error`. */
	error: string | null;
	/** `provider:model` that wrote an answer. */
	model: string | null;
	created_at: string;
	parts: StoredParts;
}

/** A file a message of the export links to. */
export interface ExportedFile {
	id: string;
	name: string;
	mime_type: string;
	size: number;
	/** Where its owner downloads it (signed in): `/api/files/{id}` on this site. */
	url: string;
}

/** A task's active branch, as `GET /api/tasks/{id}/export?format=json` answers it. */
export interface TaskExport {
	format: 'parley.task-export';
	version: 1;
	exported_at: string;
	task: {
		id: string;
		title: string;
		agent: { slug: string; name: string };
		created_at: string;
		updated_at: string;
	};
	messages: ExportedMessage[];
	files: ExportedFile[];
}

/**
 * The export of a task of the user's (someone else's is `not_found`, even for an admin): the
 * messages of its active branch in order, each stored file linked as `{origin}/api/files/{id}`.
 */
export async function exportTask(db: Db, userId: string, taskId: string, origin: string, now = new Date()): Promise<TaskExport> {
	const task = await getOwnTask(db, { kind: 'user', id: userId, role: 'user' }, taskId);
	const [agent] = await db.select({ slug: agents.slug, name: agents.name }).from(agents).where(eq(agents.id, task.agentId));
	const rows = await listMessages(db, task.id);
	const linkOf = (id: string) => `${origin}${fileUrl(id)}`;
	const fileIds: string[] = [];
	const messages = rows.map((row): ExportedMessage => ({
		id: row.id,
		role: row.role,
		status: row.status,
		error: row.status === 'error' ? row.error : null,
		model: row.model,
		created_at: row.createdAt.toISOString(),
		parts: partsForViewers(row.parts).map((part) => {
			const id = fileIdOfSharedPart(part);
			if (part.type !== 'file' || id === undefined) return part;
			fileIds.push(id);
			return { ...part, url: linkOf(id) };
		})
	}));
	const stored = await findFiles(db, fileIds);
	return {
		format: 'parley.task-export',
		version: 1,
		exported_at: now.toISOString(),
		task: {
			id: task.id,
			title: task.title,
			agent: { slug: agent?.slug ?? '', name: agent?.name ?? 'Assistant' },
			created_at: task.createdAt.toISOString(),
			updated_at: task.updatedAt.toISOString()
		},
		messages,
		files: stored.map((file) => ({ id: file.id, name: file.name, mime_type: file.mimeType, size: file.size, url: linkOf(file.id) }))
	};
}

/** A file name for an export: the title's words, safe on every system, and the format's extension. */
export function exportFileName(title: string, format: ExportFormat): string {
	const base = title
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 80)
		.replace(/-+$/, '');
	return `${base || 'chat'}.${format}`;
}
