import type { UIMessage } from 'ai';
import type { StoredMessage as Message } from '../../services/messages';
import type { Task } from '../../services/tasks';
import type { FileRecord } from '../../files/file-records';
import { fileUrl } from '../../files/file-urls';
import { fileKindOf } from '../../files/media-types';
import { fileIdOfPart } from '../../files/model-parts';
import { pendingToolCalls } from '../../runtime/turn-request';
import type { TaskHistories } from '../../services/teams';
import type { TeamTask, TeamTaskFile, TeamTaskRequest, TeamTaskResponse, TeamTaskTurn } from './schemas';
import { awaitingInputReason, INTERRUPTED_REASON } from './to-team-tasks-chunk';

type Part = UIMessage['parts'][number];
type FilePart = Extract<Part, { type: 'file' }>;

/** What the task JSON needs beside the task and its messages. */
export interface TeamTaskOptions {
	/** The agent as the caller named it (id or slug), echoed back. */
	idTeamAgent: string;
	/** The stored files the messages refer to, by id. */
	files: ReadonlyMap<string, Pick<FileRecord, 'name' | 'size' | 'mimeType'>>;
}

/** The size of a data URL's content, in bytes. */
function dataUrlSize(url: string): number {
	const match = url.match(/^data:[^,]*?(;base64)?,(.*)$/s);
	if (!match) return 0;
	if (!match[1]) return new TextEncoder().encode(decodeURIComponentSafe(match[2])).byteLength;
	const base64 = match[2].replace(/\s+/g, '');
	return Math.max(0, Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0));
}

function decodeURIComponentSafe(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** A file part as the API lists it: stored files link to `/api/files/{id}`. */
function toTeamTaskFile(part: FilePart, options: TeamTaskOptions): TeamTaskFile {
	const id = fileIdOfPart(part);
	const stored = id ? options.files.get(id) : undefined;
	return {
		name: part.filename ?? stored?.name ?? 'file',
		type: fileKindOf(part.mediaType),
		size: stored?.size ?? dataUrlSize(part.url),
		mime_type: part.mediaType,
		url: id ? fileUrl(id) : part.url
	};
}

/** The text, and the files grouped by kind, of a list of parts. */
function contentOf(parts: Part[], options: TeamTaskOptions) {
	const files = parts.flatMap((part) => (part.type === 'file' ? [toTeamTaskFile(part, options)] : []));
	const ofKind = (kind: TeamTaskFile['type']) => files.filter((file) => file.type === kind);
	return {
		text: joinTexts(parts, 'text'),
		images: ofKind('image'),
		videos: ofKind('video'),
		audios: ofKind('audio'),
		documents: ofKind('document')
	};
}

/** The non-empty text (or reasoning) parts, one paragraph each. */
function joinTexts(parts: Part[], type: 'text' | 'reasoning'): string {
	return parts.flatMap((part) => (part.type === type && part.text.trim() !== '' ? [part.text] : [])).join('\n\n');
}

/** How a stored answer ended, in the API's terms. */
function endOf(answer: Message): Pick<TeamTaskResponse, 'event' | 'is_finished' | 'is_error' | 'is_interrupted' | 'error' | 'reason'> {
	const ended = { is_finished: false, is_error: false, is_interrupted: false, error: null, reason: null };
	if (answer.status === 'error') {
		return { ...ended, event: 'error', is_error: true, error: answer.error ?? 'The answer failed.' };
	}
	if (answer.status === 'interrupted') {
		return { ...ended, event: 'interrupted', is_interrupted: true, reason: answer.error ?? INTERRUPTED_REASON };
	}
	const pending = pendingToolCalls(answer.parts);
	if (pending.length > 0) {
		const waitingFor = pending.map((part) => ({
			toolCallId: part.toolCallId,
			toolName: part.type.slice('tool-'.length),
			input: part.input,
			...(part.state === 'approval-requested' && part.approval ? { approvalId: part.approval.id } : {})
		}));
		return { ...ended, event: 'interrupted', is_interrupted: true, reason: awaitingInputReason(waitingFor) };
	}
	return { ...ended, event: 'finished', is_finished: true };
}

/**
 * A task as the team-agent API shows it (`api.md` §4). `content` pairs each question with the
 * answers that followed it, whichever face wrote them; an answer still being written has no
 * `response` yet. An answer with no question before it (a history imported over `/v1`) gets an
 * empty request.
 */
export function toTeamTask(task: Task, messages: Message[], options: TeamTaskOptions): TeamTask {
	const ids = { id_team_agent: options.idTeamAgent, id_team: task.teamId, id_task: task.id };
	const turns: { request: TeamTaskRequest; answers: Message[] }[] = [];
	for (const message of messages) {
		if (message.role === 'system') continue;
		if (message.role === 'user') {
			turns.push({ request: { ...ids, ...contentOf(message.parts, options) }, answers: [] });
			continue;
		}
		if (turns.length === 0) {
			turns.push({ request: { ...ids, ...contentOf([], options) }, answers: [] });
		}
		turns[turns.length - 1].answers.push(message);
	}
	const content: TeamTaskTurn[] = turns.map(({ request, answers }) => {
		const last = answers.at(-1);
		if (!last || answers.some((answer) => answer.status === 'streaming')) return { request };
		const parts = answers.flatMap((answer) => answer.parts);
		const { text, ...files } = contentOf(parts, options);
		return {
			request,
			response: {
				...ids,
				created_at: answers[0].createdAt.toISOString(),
				text,
				reasoning: joinTexts(parts, 'reasoning'),
				...files,
				...endOf(last)
			}
		};
	});
	return {
		id_task: task.id,
		id_team_agent: options.idTeamAgent,
		id_team: task.teamId,
		title: task.title,
		content,
		driver: task.driver,
		created_at: task.createdAt.toISOString(),
		updated_at: task.updatedAt.toISOString()
	};
}

/** Tasks as the team-agent API shows them, from their histories and the files they name. */
export function toTeamTasks(list: Task[], histories: TaskHistories, idTeamAgent: string): TeamTask[] {
	return list.map((task) => toTeamTask(task, histories.messages.get(task.id) ?? [], { idTeamAgent, files: histories.files }));
}
