import type { UIMessage } from 'ai';
import { and, asc, eq, inArray, isNull, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db';
import { boundQuery, jsonOrNull, nullableJsonPlaceholder, prepared, valuePlaceholder } from '../db/prepared';
import { messages, tasks, type Message, type MessageKind, type MessageRole, type MessageStatus, type StoredParts } from '../db/schema';
import { newId } from '../ids';

/** A stored message, as services hand it out. */
export type StoredMessage = Message;

/** The UIMessage form of a stored message. */
export function toUIMessage(message: Message): UIMessage {
	return { id: message.id, role: message.role, parts: message.parts };
}

/** Parley's own key in a part's metadata (a file part's file id); every other key is a provider's. */
const PARLEY_METADATA_KEY = 'parley';

/** A part's metadata without the providers' keys, or undefined when nothing is left. */
function parleyMetadataOf(metadata: unknown): Record<string, unknown> | undefined {
	if (typeof metadata !== 'object' || metadata === null || !(PARLEY_METADATA_KEY in metadata)) return undefined;
	return { [PARLEY_METADATA_KEY]: (metadata as Record<string, unknown>)[PARLEY_METADATA_KEY] };
}

/** Whether a stored part carries what a provider attached for itself. */
function hasProviderMetadata(part: object): boolean {
	const { providerMetadata, callProviderMetadata } = part as { providerMetadata?: object; callProviderMetadata?: object };
	return (
		callProviderMetadata !== undefined ||
		(typeof providerMetadata === 'object' &&
			providerMetadata !== null &&
			Object.keys(providerMetadata).some((key) => key !== PARLEY_METADATA_KEY))
	);
}

/**
 * Parts as people and callers are shown them: without what providers attached for themselves
 * (thinking signatures, encrypted reasoning, item ids), which only the model is sent back and
 * which can be several kilobytes a part. Parley's own metadata (a file part's file id) stays.
 */
export function partsForViewers(parts: UIMessage['parts']): UIMessage['parts'] {
	if (!parts.some(hasProviderMetadata)) return parts;
	return parts.map((part) => {
		if (!hasProviderMetadata(part)) return part;
		const copy: Record<string, unknown> = { ...part };
		const kept = parleyMetadataOf(copy.providerMetadata);
		delete copy.providerMetadata;
		delete copy.callProviderMetadata;
		if (kept) copy.providerMetadata = kept;
		return copy as typeof part;
	});
}

/**
 * The ids of the active branches of some tasks: each task's active leaf and every message above
 * it, up to the first (see `messages.parentId`), as a subquery. A parent is always written before
 * its children, so ordering by position puts a branch in order.
 */
export function activeBranchIds(taskIds: string | readonly string[]): SQL {
	const ids = typeof taskIds === 'string' ? [taskIds] : taskIds;
	return sql`(WITH RECURSIVE branch(id) AS (
	SELECT ${tasks.activeLeafId} FROM ${tasks} WHERE ${inArray(tasks.id, [...ids])}
	UNION ALL
	SELECT m.parent_id FROM ${messages} AS m JOIN branch ON m.id = branch.id WHERE m.parent_id IS NOT NULL
) SELECT id FROM branch)`;
}

/**
 * The messages of a task's history in order: its active branch. Versions of a message left by an
 * edit or a regeneration, and what followed them, are kept but read only through their branch.
 */
export function listMessages(db: Db, taskId: string): Promise<Message[]> {
	return db
		.select()
		.from(messages)
		.where(and(eq(messages.taskId, taskId), inArray(messages.id, activeBranchIds(taskId))))
		.orderBy(asc(messages.position));
}

/**
 * The message of a branch that is a version of `messageId`: itself when on the branch, else the
 * one with the same parent (a client that edited a question may still hold the id of the version
 * it edited). Undefined when the branch has none.
 */
export async function versionOnBranch(
	db: Db,
	taskId: string,
	messageId: string,
	branch: readonly Pick<Message, 'id' | 'parentId'>[]
): Promise<string | undefined> {
	if (branch.some((message) => message.id === messageId)) return messageId;
	const [row] = await db
		.select({ parentId: messages.parentId })
		.from(messages)
		.where(and(eq(messages.taskId, taskId), eq(messages.id, messageId)));
	return row ? branch.find((message) => message.parentId === row.parentId)?.id : undefined;
}

/** How a message of a task's tree is placed, without its content. */
export interface MessageNode {
	id: string;
	parentId: string | null;
	position: number;
}

/** Every message of a task, on any branch, without content, in the order they were written. */
export function listMessageNodes(db: Db, taskId: string): Promise<MessageNode[]> {
	return db
		.select({ id: messages.id, parentId: messages.parentId, position: messages.position })
		.from(messages)
		.where(eq(messages.taskId, taskId))
		.orderBy(asc(messages.position));
}

/**
 * The versions of some messages of a task: for each, the ids of the messages with the same parent
 * (itself included), in the order they were written. A message never edited nor regenerated has
 * one. A few messages are looked up by their parents; many, by reading the task's whole tree.
 */
export async function messageVersions(
	db: Db,
	taskId: string,
	rows: readonly Pick<Message, 'id' | 'parentId'>[]
): Promise<Map<string, string[]>> {
	const versions = new Map<string, string[]>();
	if (rows.length === 0) return versions;
	const parents = [...new Set(rows.map((row) => row.parentId))];
	const named = parents.filter((parent): parent is string => parent !== null);
	const nodes =
		parents.length > CHUNK_SIZE
			? await listMessageNodes(db, taskId)
			: await db
					.select({ id: messages.id, parentId: messages.parentId, position: messages.position })
					.from(messages)
					.where(
						and(
							eq(messages.taskId, taskId),
							or(
								...(named.length > 0 ? [inArray(messages.parentId, named)] : []),
								...(parents.includes(null) ? [isNull(messages.parentId)] : [])
							)
						)
					)
					.orderBy(asc(messages.position));
	const children = childrenByParent(nodes);
	for (const row of rows) versions.set(row.id, children.get(row.parentId) ?? [row.id]);
	return versions;
}

/** Message ids by parent id (null for first messages), each list in the order written. */
function childrenByParent(nodes: readonly MessageNode[]): Map<string | null, string[]> {
	const children = new Map<string | null, string[]>();
	for (const node of nodes) {
		const list = children.get(node.parentId);
		if (list) list.push(node.id);
		else children.set(node.parentId, [node.id]);
	}
	return children;
}

/**
 * The leaf a task reads once a version of one of its messages is chosen: that message, then at
 * each step its newest child, down to a message with none. Null when the message is not the task's.
 */
export function leafUnder(nodes: readonly MessageNode[], messageId: string): string | null {
	if (!nodes.some((node) => node.id === messageId)) return null;
	const children = childrenByParent(nodes);
	let leaf = messageId;
	// A parent is always older than its children, so the walk ends; the bound only guards bad data.
	for (let step = 0, next = children.get(leaf)?.at(-1); next && step < nodes.length; step++, next = children.get(leaf)?.at(-1)) {
		leaf = next;
	}
	return leaf;
}

/**
 * Makes a version of a message the one a task reads: its active leaf becomes the end of the
 * newest branch below that message. `false` when the message is not the task's.
 */
export async function chooseVersion(db: Db, taskId: string, messageId: string): Promise<boolean> {
	const leaf = leafUnder(await listMessageNodes(db, taskId), messageId);
	if (!leaf) return false;
	await db.update(tasks).set({ activeLeafId: leaf }).where(eq(tasks.id, taskId));
	return true;
}

/** Whether a message id is already used, in any task. */
export async function messageIdExists(db: Db, id: string): Promise<boolean> {
	return (await prepared(db, messageWithId).get({ id })) !== undefined;
}

const messageWithId = (db: Db) =>
	db
		.select({ id: messages.id })
		.from(messages)
		.where(eq(messages.id, sql.placeholder('id')))
		.prepare();

/** Ids per `IN (…)` list: far below SQLite's limit on bound parameters. */
const CHUNK_SIZE = 200;

/** Which of some message ids are already used, in any task; one query per 200 ids. */
export async function existingMessageIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
	const found = new Set<string>();
	for (let start = 0; start < ids.length; start += CHUNK_SIZE) {
		const chunk = ids.slice(start, start + CHUNK_SIZE);
		const rows = await db.select({ id: messages.id }).from(messages).where(inArray(messages.id, chunk));
		for (const row of rows) found.add(row.id);
	}
	return found;
}

/** What a new message holds. */
export interface NewMessageInput {
	taskId: string;
	role: MessageRole;
	kind?: MessageKind;
	parts: StoredParts;
	status?: MessageStatus;
	model?: string | null;
	id?: string;
	metadata?: Record<string, unknown> | null;
	/**
	 * The message it follows: by default the end of the task's history (its active leaf); null
	 * for a first message. Whatever it follows, a new message becomes the task's active leaf.
	 */
	parentId?: string | null;
}

/** The task's active leaf, read inside a write: the parent of a message appended to its history. */
function activeLeafOf(taskId: string | Placeholder): SQL {
	return sql`(SELECT ${tasks.activeLeafId} FROM ${tasks} WHERE ${tasks.id} = ${taskId})`;
}

/** The insert of a message at the end of a task, its values all placeholders; `parent` places it. */
function messageInsert(db: Db, parent: SQL | Placeholder) {
	const taskId = sql.placeholder('taskId');
	return db
		.insert(messages)
		.values({
			id: sql.placeholder('id'),
			taskId,
			role: sql.placeholder('role'),
			kind: sql.placeholder('kind'),
			parts: sql.placeholder('parts'),
			status: sql.placeholder('status'),
			model: sql.placeholder('model'),
			metadata: nullableJsonPlaceholder('metadata'),
			parentId: parent,
			position: sql`(SELECT COALESCE(MAX(${messages.position}) + 1, 0) FROM ${messages} WHERE ${messages.taskId} = ${taskId})`,
			createdAt: sql.placeholder('now'),
			updatedAt: sql.placeholder('now')
		})
		.returning()
		.prepare();
}

const insertAfterParent = (db: Db) => messageInsert(db, sql.placeholder('parentId'));
const insertAfterActiveLeaf = (db: Db) => messageInsert(db, activeLeafOf(sql.placeholder('taskId')));

/** The prepared insert of `input` and the values it takes. */
function messageInsertOf(db: Db, input: NewMessageInput) {
	const now = new Date();
	const row = rowOf(input);
	const values = { ...row, metadata: jsonOrNull(row.metadata), parentId: input.parentId ?? null, now };
	return { query: prepared(db, input.parentId === undefined ? insertAfterActiveLeaf : insertAfterParent), values };
}

/**
 * The insert of a message at the end of a task, not yet run (for `db.batch`; its result there is
 * the inserted row, in a list); the position and, unless given, the parent are taken inside the
 * insert.
 */
export function insertMessage(db: Db, input: NewMessageInput): BatchItem<'sqlite'> {
	const { query, values } = messageInsertOf(db, input);
	return boundQuery(query, values);
}

/** The values of a new message's row, its position left to the insert. */
function rowOf(input: NewMessageInput) {
	return {
		id: input.id ?? newId(),
		taskId: input.taskId,
		role: input.role,
		kind: input.kind ?? (input.role === 'assistant' ? ('agent' as const) : input.role),
		parts: input.parts,
		status: input.status ?? 'complete',
		model: input.model ?? null,
		metadata: input.metadata ?? null
	};
}

/** A message of a task's history to append, its task given once for all. */
export type HistoryMessageInput = Omit<NewMessageInput, 'taskId'>;

/** The columns `insertMessagesQuery` fills, by name; the others keep their defaults. */
const historyColumns = [
	messages.id,
	messages.taskId,
	messages.position,
	messages.parentId,
	messages.role,
	messages.kind,
	messages.parts,
	messages.status,
	messages.model,
	messages.metadata,
	messages.createdAt,
	messages.updatedAt
].map((column) => sql.identifier(column.name));

/**
 * The insert of messages at the end of a task, in their order, as one statement, not yet run
 * (for `db.batch`); `null` for no messages. The rows travel as one JSON parameter read with
 * `json_each`, so that a long history is one statement with three parameters, whatever its
 * length; the task's next free position is read once, by the same statement, and row `n` takes
 * it plus `n` (an insert that reads its own table reads all it needs before writing). Each row
 * follows the one before it, the first the task's active leaf (or `parentId` when the first input
 * gives one); the last becomes the active leaf. The JSON columns hold `JSON.stringify` text, as
 * Drizzle writes them.
 */
export function insertMessagesQuery(db: Db, taskId: string, inputs: readonly HistoryMessageInput[]) {
	if (inputs.length === 0) return null;
	let previous: string | null | undefined = inputs[0].parentId;
	const rows = inputs.map((input) => {
		const row = rowOf({ ...input, taskId });
		const parent = previous;
		previous = row.id;
		return {
			id: row.id,
			parent: parent === undefined ? null : parent,
			role: row.role,
			kind: row.kind,
			parts: JSON.stringify(row.parts),
			status: row.status,
			model: row.model,
			metadata: row.metadata === null ? null : JSON.stringify(row.metadata)
		};
	});
	const now = Date.now();
	const field = (name: keyof (typeof rows)[number]) => sql.raw(`json_extract(item.value, '$.${name}')`);
	return db.run(sql`INSERT INTO ${messages} (${sql.join(historyColumns, sql`, `)})
SELECT ${field('id')}, ${taskId}, base.position + item.key,
	${inputs[0].parentId === undefined ? sql`CASE WHEN item.key = 0 THEN base.leaf ELSE ${field('parent')} END` : field('parent')},
	${field('role')}, ${field('kind')}, ${field('parts')},
	${field('status')}, ${field('model')}, ${field('metadata')}, ${now}, ${now}
FROM json_each(${JSON.stringify(rows)}) AS item,
	(SELECT COALESCE(MAX(${messages.position}) + 1, 0) AS position, ${activeLeafOf(taskId)} AS leaf
		FROM ${messages} WHERE ${messages.taskId} = ${taskId}) AS base
ORDER BY item.key`);
}

/**
 * Appends messages at the end of a task in one batch, one transaction, with `also` (e.g. a title)
 * run in the same batch after them; all or nothing.
 */
export async function appendMessages(
	db: Db,
	taskId: string,
	inputs: readonly HistoryMessageInput[],
	also: readonly BatchItem<'sqlite'>[] = []
): Promise<void> {
	const insert = insertMessagesQuery(db, taskId, inputs);
	const [first, ...rest] = [...(insert ? [insert] : []), ...also];
	if (first) await db.batch([first, ...rest]);
}

/** Appends a message at the end of a task. */
export async function appendMessage(db: Db, input: NewMessageInput): Promise<Message> {
	const { query, values } = messageInsertOf(db, input);
	const [message] = await query.all(values);
	return message;
}

/** Changes to what a message holds: its parts, kind, status, error and usage. */
export type MessageChanges = Partial<
	Pick<
		Message,
		'parts' | 'status' | 'error' | 'inputTokens' | 'outputTokens' | 'reasoningTokens' | 'cachedInputTokens' | 'model' | 'metadata' | 'kind'
	>
>;

/** The update of a message, not yet run (for `db.batch`). */
export function updateMessageQuery(db: Db, id: string, changes: MessageChanges) {
	return db.update(messages).set(changes).where(eq(messages.id, id));
}

/** What an answer holds once its run has ended. */
export type FinalAnswer = Required<
	Pick<MessageChanges, 'parts' | 'kind' | 'status' | 'error' | 'inputTokens' | 'outputTokens' | 'reasoningTokens' | 'cachedInputTokens'>
>;

const finishAnswer = (db: Db) =>
	db
		.update(messages)
		.set({
			parts: valuePlaceholder<StoredParts>('parts'),
			kind: valuePlaceholder<MessageKind>('kind'),
			status: valuePlaceholder<MessageStatus>('status'),
			error: valuePlaceholder<string | null>('error'),
			inputTokens: valuePlaceholder<number | null>('inputTokens'),
			outputTokens: valuePlaceholder<number | null>('outputTokens'),
			reasoningTokens: valuePlaceholder<number | null>('reasoningTokens'),
			cachedInputTokens: valuePlaceholder<number | null>('cachedInputTokens'),
			updatedAt: valuePlaceholder<Date>('now')
		})
		.where(eq(messages.id, sql.placeholder('id')))
		.prepare();

/** The update that gives an answer its final form, not yet run (for `db.batch`). */
export function finishAnswerQuery(db: Db, id: string, answer: FinalAnswer): BatchItem<'sqlite'> {
	return boundQuery(prepared(db, finishAnswer), { ...answer, id, now: new Date() });
}

/** Updates what a message holds so far: its parts, status, error and usage. */
export async function updateMessage(db: Db, id: string, changes: MessageChanges): Promise<void> {
	await updateMessageQuery(db, id, changes);
}

/**
 * Marks answers left `streaming` by a process that stopped without finishing them as
 * `interrupted`, so that they read as what they are. Call at start-up, before any run begins.
 */
export async function markAbandonedAnswers(db: Db): Promise<number> {
	const rows = await db
		.update(messages)
		.set({ status: 'interrupted', error: 'The server stopped before this answer was finished.' })
		.where(eq(messages.status, 'streaming'))
		.returning({ id: messages.id, parts: messages.parts });
	// What was stored mid-stream reads as finished, as in an answer someone stopped.
	const [first, ...rest] = rows
		.filter((row) => row.parts.some(isStreamingPart))
		.map((row) => updateMessageQuery(db, row.id, { parts: row.parts.map(closedPart) }));
	if (first) await db.batch([first, ...rest]);
	return rows.length;
}

type StoredPart = StoredParts[number];

/** Whether a stored part is text or reasoning that was still streaming when it was stored. */
function isStreamingPart(part: StoredPart): boolean {
	return (part.type === 'text' || part.type === 'reasoning') && part.state === 'streaming';
}

/** A stored part with its streaming text or reasoning marked done. */
function closedPart(part: StoredPart): StoredPart {
	return (part.type === 'text' || part.type === 'reasoning') && part.state === 'streaming' ? { ...part, state: 'done' } : part;
}
