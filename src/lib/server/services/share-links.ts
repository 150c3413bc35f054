import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { getConfig } from '../config';
import type { Db } from '../db';
import { agents, files, shareLinks, users, type SharedMessage, type StoredParts } from '../db/schema';
import { AppError } from '../errors';
import type { FileRecord } from '../files/file-records';
import { fileIdOfUrl } from '../files/file-urls';
import { fileIdOfPart } from '../files/model-parts';
import { listMessages, partsForViewers } from './messages';
import { getOwnTask } from './tasks';

/** Random bytes in a token: 192 bits, 32 URL-safe characters. */
const TOKEN_BYTES = 24;

/** What a share link's token looks like; anything else is unknown without asking the database. */
const tokenPattern = /^[A-Za-z0-9_-]{32}$/;

/** The longest title a shared page may be given. */
export const SHARE_TITLE_LIMIT = 200;

/** A new secret token for a share link, from the system's cryptographic random source. */
export function newShareToken(): string {
	const bytes = new Uint8Array(TOKEN_BYTES);
	crypto.getRandomValues(bytes);
	return encodeBase64urlNoPadding(bytes);
}

/** Whether a text could be a share token. */
export function isShareToken(value: string): boolean {
	return tokenPattern.test(value);
}

/** The page of a share link. */
export function sharePath(token: string): string {
	return `/s/${token}`;
}

/** A share link as its owner's lists show it: never the snapshot itself. */
export interface ShareLinkSummary {
	token: string;
	taskId: string;
	title: string;
	agentName: string;
	messageCount: number;
	createdAt: Date;
	updatedAt: Date;
}

const summaryColumns = {
	token: shareLinks.id,
	taskId: shareLinks.taskId,
	title: shareLinks.title,
	agentName: shareLinks.agentName,
	messageCount: sql<number>`json_array_length(${shareLinks.messages})`.mapWith(Number),
	createdAt: shareLinks.createdAt,
	updatedAt: shareLinks.updatedAt
};

/** The file id a message part links to: a stored file's part, by its metadata or its `/api/files/{id}` link. */
export function fileIdOfSharedPart(part: StoredParts[number]): string | undefined {
	if (part.type !== 'file') return undefined;
	return fileIdOfPart(part) ?? fileIdOfUrl(part.url);
}

/** The messages of a task's active branch as a share link keeps them; answers still being written are left out. */
async function snapshotOf(db: Db, taskId: string): Promise<SharedMessage[]> {
	const rows = await listMessages(db, taskId);
	return rows
		.filter((row) => row.status !== 'streaming')
		.map((row) => ({
			id: row.id,
			role: row.role,
			kind: row.kind,
			parts: partsForViewers(row.parts),
			status: row.status,
			model: row.model,
			createdAt: row.createdAt.getTime()
		}));
}

/**
 * Shares a task of the user's: a read-only copy of its active branch as it is now. A task shared
 * before keeps its link (the same token), whose copy is replaced by the current one. A new link
 * beyond `SHARE_LINKS_PER_USER` is refused (`conflict`), as is a copy larger than
 * `SHARE_SNAPSHOT_LIMIT` bytes (`payload_too_large`). Someone else's task is `not_found`, even for
 * an admin.
 */
export async function shareTask(
	db: Db,
	userId: string,
	taskId: string,
	options: { title?: string; limits?: { links: number; snapshotBytes: number } } = {}
): Promise<ShareLinkSummary & { created: boolean }> {
	const config = getConfig();
	const limits = options.limits ?? { links: config.SHARE_LINKS_PER_USER, snapshotBytes: config.SHARE_SNAPSHOT_LIMIT };
	const task = await getOwnTask(db, { kind: 'user', id: userId, role: 'user' }, taskId);
	const messages = await snapshotOf(db, task.id);
	if (messages.length === 0) {
		throw new AppError('invalid_input', 'This chat has no messages to share yet.', { field: 'taskId' });
	}
	const size = new TextEncoder().encode(JSON.stringify(messages)).byteLength;
	if (size > limits.snapshotBytes) {
		throw new AppError('payload_too_large', `This chat is too large to share: ${size} bytes, over the limit of ${limits.snapshotBytes}.`, {
			field: 'taskId'
		});
	}
	const [agent] = await db.select({ name: agents.name }).from(agents).where(eq(agents.id, task.agentId));
	const title = (options.title ?? task.title).trim() || 'Untitled chat';
	const values = { title: title.slice(0, SHARE_TITLE_LIMIT), agentName: agent?.name ?? 'Assistant', messages };

	const [existing] = await db
		.select({ id: shareLinks.id })
		.from(shareLinks)
		.where(and(eq(shareLinks.taskId, task.id), eq(shareLinks.userId, userId)))
		.limit(1);
	if (existing) {
		await db.update(shareLinks).set(values).where(eq(shareLinks.id, existing.id));
		return { ...(await summaryOf(db, existing.id)), created: false };
	}
	const [{ links }] = await db.select({ links: count() }).from(shareLinks).where(eq(shareLinks.userId, userId));
	if (links >= limits.links) {
		throw new AppError(
			'conflict',
			`You already have ${links} share links, the most allowed. Revoke one in Settings to share another chat.`
		);
	}
	const token = newShareToken();
	await db.insert(shareLinks).values({ id: token, taskId: task.id, userId, ...values });
	return { ...(await summaryOf(db, token)), created: true };
}

async function summaryOf(db: Db, token: string): Promise<ShareLinkSummary> {
	const [row] = await db.select(summaryColumns).from(shareLinks).where(eq(shareLinks.id, token));
	return row;
}

/** A user's share links, newest first; with `taskId`, only that task's. */
export function listShareLinks(db: Db, userId: string, options: { taskId?: string } = {}): Promise<ShareLinkSummary[]> {
	const owner = eq(shareLinks.userId, userId);
	return db
		.select(summaryColumns)
		.from(shareLinks)
		.where(options.taskId === undefined ? owner : and(owner, eq(shareLinks.taskId, options.taskId)))
		.orderBy(desc(shareLinks.updatedAt), desc(shareLinks.id));
}

/** Revokes a link of the user's: its page answers 404 from now on. Someone else's link is `not_found`. */
export async function revokeShareLink(db: Db, userId: string, token: string): Promise<void> {
	const removed = isShareToken(token)
		? await db
				.delete(shareLinks)
				.where(and(eq(shareLinks.id, token), eq(shareLinks.userId, userId)))
				.returning({ id: shareLinks.id })
		: [];
	if (removed.length === 0) throw new AppError('not_found', 'No such share link.', { field: 'token' });
}

/** What a shared page shows. */
export interface SharedTask {
	token: string;
	title: string;
	agentName: string;
	/** The display name of the person who shared it, when they gave one (never their email). */
	sharedBy: string | null;
	sharedAt: Date;
	messages: SharedMessage[];
}

/** The shared task behind a token, for anyone who has the link; `not_found` once revoked. */
export async function getSharedTask(db: Db, token: string): Promise<SharedTask> {
	const [row] = isShareToken(token)
		? await db
				.select({ link: shareLinks, sharedBy: users.name })
				.from(shareLinks)
				.innerJoin(users, eq(users.id, shareLinks.userId))
				.where(eq(shareLinks.id, token))
		: [];
	if (!row) throw new AppError('not_found', 'This shared chat does not exist, or its link was revoked.');
	return {
		token: row.link.id,
		title: row.link.title,
		agentName: row.link.agentName,
		sharedBy: row.sharedBy?.trim() || null,
		sharedAt: row.link.updatedAt,
		messages: row.link.messages
	};
}

/**
 * The messages of a shared task as its page shows them: links to stored files point at the share
 * (`/s/{token}/files/{id}`), the only way its visitors can open them.
 */
export function sharedMessagesForPage(shared: SharedTask): SharedMessage[] {
	return shared.messages.map((message) => ({
		...message,
		parts: message.parts.map((part) => {
			const id = fileIdOfSharedPart(part);
			if (part.type !== 'file' || id === undefined) return part;
			const { providerMetadata: _metadata, ...rest } = part;
			return { ...rest, url: `${sharePath(shared.token)}/files/${encodeURIComponent(id)}` };
		})
	}));
}

/**
 * A file shown in a shared task, for anyone with the link: only a file the snapshot links to, and
 * only while it belongs to the person who shared it or to the shared task. Anything else is
 * `not_found`, exactly like a revoked link.
 */
export async function getSharedFile(db: Db, token: string, fileId: string): Promise<FileRecord> {
	const notFound = new AppError('not_found', `No file "${fileId}" is shown in this shared chat.`, { field: 'fileId' });
	const [link] = isShareToken(token) ? await db.select().from(shareLinks).where(eq(shareLinks.id, token)) : [];
	if (!link) throw notFound;
	const referenced = link.messages.some((message) => message.parts.some((part) => fileIdOfSharedPart(part) === fileId));
	if (!referenced) throw notFound;
	const [file] = await db.select().from(files).where(eq(files.id, fileId));
	if (!file || !(file.userId === link.userId || file.taskId === link.taskId)) throw notFound;
	return file;
}

/** A share link as the API shows it. */
export interface ShareLinkJson {
	token: string;
	/** The shared page, absolute. */
	url: string;
	task_id: string;
	title: string;
	agent_name: string;
	message_count: number;
	created_at: string;
	updated_at: string;
}

/** The API form of a share link, its page's address made absolute with `origin`. */
export function toShareLinkJson(link: ShareLinkSummary, origin: string): ShareLinkJson {
	return {
		token: link.token,
		url: `${origin}${sharePath(link.token)}`,
		task_id: link.taskId,
		title: link.title,
		agent_name: link.agentName,
		message_count: link.messageCount,
		created_at: link.createdAt.toISOString(),
		updated_at: link.updatedAt.toISOString()
	};
}
