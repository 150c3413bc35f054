import type { UIMessage } from 'ai';
import { and, asc, eq } from 'drizzle-orm';
import { isWidgetSubmitPart, type WidgetSubmission } from '$lib/widgets/contract';
import type { Db } from '../db';
import { files, users, type Message, type Task, type TaskRunOptions } from '../db/schema';
import { AppError } from '../errors';
import { getExtractionQueue } from '../files/extract/extraction-queue';
import { EXTRACTION_WAIT_MS } from '../files/model-parts';
import { newId } from '../ids';
import type { RunEvent } from '../runtime/events';
import { toUIMessage } from '../services/messages';
import type { AnswerWriter, RespondContext, TaskFile } from './define';
import type { CodeAgent } from './registry';
import { textOf } from '../../text-of';

/** What a person chose in a widget, when a message answers one. */
export function submissionOf(message: Pick<Message, 'parts'> | undefined): WidgetSubmission | null {
	const part = message?.parts.find((candidate) => isWidgetSubmitPart(candidate));
	return part && isWidgetSubmitPart(part) ? part.data : null;
}

/**
 * The context of a code agent's task, made once by its `createContext` and checked against its
 * `Context`: null when the task has it already (or the agent has neither). A context that does
 * not fit is the caller's error (`unprocessable`, naming the field), and nothing is stored.
 */
export async function createCodeContext(
	db: Db,
	codeAgent: CodeAgent,
	task: Pick<Task, 'id' | 'userId' | 'anonymousId' | 'context' | 'runOptions'>
): Promise<{ context: Record<string, unknown>; runOptions: TaskRunOptions } | null> {
	const { Context, createContext } = codeAgent.definition;
	if (task.runOptions?.contextCreated || (!Context && !createContext)) return null;
	const [user] = task.userId
		? await db.select({ id: users.id, email: users.email, name: users.name, role: users.role }).from(users).where(eq(users.id, task.userId))
		: [];
	const made = createContext
		? await createContext({ user: user ?? null, anonymousId: task.anonymousId, taskId: task.id }, { given: task.context ?? null })
		: (task.context ?? {});
	let context: Record<string, unknown> = { ...(made as Record<string, unknown>) };
	if (Context) {
		const parsed = Context.safeParse(made);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			const field = ['context', ...issue.path.map(String)].join('.');
			throw new AppError('unprocessable', `${field}: ${issue.message}`, { field });
		}
		context = parsed.data as Record<string, unknown>;
	}
	return { context, runOptions: { ...task.runOptions, contextCreated: true } };
}

/** What a code agent's turn is given by the runtime. */
export interface CodeTurn {
	db: Db;
	task: Task;
	codeAgent: CodeAgent;
	/** The task's messages the turn sees, the new question last. */
	history: Message[];
	emit(event: RunEvent): void;
	/** The answer's text so far. */
	text(): string;
	/** Stores the answer as it is so far (after each step). */
	persist(): Promise<void>;
	/** Lets the model answer with the agent's tools; resolves to the text it wrote. */
	callModel(instructions?: string): Promise<string>;
	signal: AbortSignal;
}

/** The task's files, oldest first. */
async function taskFiles(db: Db, taskId: string): Promise<TaskFile[]> {
	const rows = await db
		.select({
			id: files.id,
			name: files.name,
			mediaType: files.mimeType,
			size: files.size,
			extractionStatus: files.extractionStatus
		})
		.from(files)
		.where(eq(files.taskId, taskId))
		.orderBy(asc(files.createdAt));
	return rows.map((row) => ({
		...row,
		extractionStatus: row.extractionStatus === 'extracting' ? 'pending' : row.extractionStatus
	}));
}

/**
 * Runs a code agent's `respond` (or lets the model answer when it has none), turning what it
 * writes, the widgets it shows and the model's answers into run events of one answer.
 */
export async function respondInCode(turn: CodeTurn): Promise<void> {
	const { db, task, codeAgent, history, emit, signal } = turn;
	const respond = codeAgent.definition.respond;
	if (!respond) {
		await turn.callModel();
		return;
	}
	let stepOpen = false;
	let textId: string | null = null;
	let wrote = false;
	const openStep = () => {
		if (stepOpen) return;
		emit({ type: 'step-start' });
		stepOpen = true;
	};
	const closeText = () => {
		if (textId === null) return;
		emit({ type: 'text-end', id: textId });
		textId = null;
	};
	const closeStep = async () => {
		closeText();
		if (!stepOpen) return;
		emit({ type: 'step-end', usage: { inputTokens: undefined, outputTokens: undefined } });
		stepOpen = false;
		await turn.persist();
	};
	const stream: AnswerWriter = {
		write(text: string) {
			if (signal.aborted || typeof text !== 'string' || text === '') return;
			openStep();
			if (textId === null) {
				textId = newId();
				emit({ type: 'text-start', id: textId });
			}
			emit({ type: 'text-delta', id: textId, delta: text });
			wrote = true;
		},
		get text() {
			return turn.text();
		}
	};
	const last = history.at(-1);
	const question = last?.role === 'user' ? last : undefined;
	const context: RespondContext<Record<string, unknown>> = {
		task: { id: task.id, title: task.title },
		context: task.context ?? {},
		messages: history.map((message): UIMessage => toUIMessage(message)),
		input: textOf(question?.parts ?? [], '\n'),
		submission: submissionOf(question),
		files: await taskFiles(db, task.id),
		async getFileText(fileId: string) {
			const where = and(eq(files.id, fileId), eq(files.taskId, task.id));
			const [file] = await db.select({ status: files.extractionStatus }).from(files).where(where);
			if (!file) throw new AppError('not_found', `The task has no file "${fileId}".`, { field: 'fileId' });
			if (file.status === 'pending' || file.status === 'extracting') {
				await getExtractionQueue().settled([fileId], EXTRACTION_WAIT_MS);
			}
			const [read] = await db.select({ text: files.extractedText }).from(files).where(where);
			return read?.text ?? null;
		},
		stream,
		displayWidget(type: string, data: unknown) {
			if (typeof type !== 'string' || type.trim() === '') throw new TypeError('displayWidget needs a widget type.');
			const id = newId();
			if (signal.aborted) return id;
			openStep();
			closeText();
			// Stored as JSON: what cannot be is dropped here rather than when the answer is stored.
			emit({ type: 'widget', id, widget: { type, data: JSON.parse(JSON.stringify(data ?? null)) } });
			wrote = true;
			return id;
		},
		async callModel(options) {
			await closeStep();
			const text = await turn.callModel(options?.instructions);
			if (text) wrote = true;
			return text;
		},
		signal
	};
	const returned = await respond(context);
	if (typeof returned === 'string' && !wrote) stream.write(returned);
	await closeStep();
}
