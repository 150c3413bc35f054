import { describe, expect, it } from 'vitest';
import type { StoredMessage as Message } from '../../services/messages';
import type { Task } from '../../services/tasks';
import { teamTaskSchema } from './schemas';
import { fileIdsOf } from '../../files/model-parts';
import { toTeamTask } from './to-team-task';

const created = new Date('2025-03-01T10:00:00.000Z');
const updated = new Date('2025-03-01T10:05:00.000Z');

const task: Task = {
	id: 'task-1',
	agentId: 2,
	teamId: 'team-1',
	userId: 'user-1',
	anonymousId: null,
	title: 'Hello',
	status: 'active',
	driver: 'auto',
	context: null,
	runOptions: null,
	activeLeafId: null,
	playground: false,
	createdAt: created,
	updatedAt: updated
};

let position = 0;

function message(role: Message['role'], parts: Message['parts'], extra: Partial<Message> = {}): Message {
	position++;
	return {
		id: `msg-${position}`,
		taskId: 'task-1',
		position,
		parentId: position > 1 ? `msg-${position - 1}` : null,
		role,
		kind: role === 'assistant' ? 'agent' : role,
		parts,
		status: 'complete',
		error: null,
		model: role === 'assistant' ? 'mock:offline' : null,
		inputTokens: null,
		outputTokens: null,
		reasoningTokens: null,
		cachedInputTokens: null,
		metadata: null,
		createdAt: new Date(created.getTime() + position * 1000),
		updatedAt: created,
		...extra
	};
}

const imagePart = {
	type: 'file' as const,
	mediaType: 'image/png',
	url: 'data:image/png;base64,iVBORw0KGgo=',
	filename: 'dot.png',
	providerMetadata: { parley: { fileId: 'file-1' } }
};

const files = new Map([['file-1', { name: 'dot.png', size: 1234, mimeType: 'image/png' }]]);
const ids = { id_team_agent: 'tool-demo', id_team: 'team-1', id_task: 'task-1' };
const noFiles = { images: [], videos: [], audios: [], documents: [] };

describe('toTeamTask', () => {
	it('pairs questions with answers, with files linked to /api/files', () => {
		const messages = [
			message('user', [{ type: 'text', text: 'Look at this' }, imagePart]),
			message('assistant', [
				{ type: 'step-start' },
				{ type: 'reasoning', text: 'An image.', state: 'done' },
				{ type: 'text', text: 'I received 1 attachment.', state: 'done' }
			])
		];
		const result = toTeamTask(task, messages, { idTeamAgent: 'tool-demo', files });
		expect(result).toStrictEqual({
			id_task: 'task-1',
			id_team_agent: 'tool-demo',
			id_team: 'team-1',
			title: 'Hello',
			content: [
				{
					request: {
						...ids,
						text: 'Look at this',
						...noFiles,
						images: [{ name: 'dot.png', type: 'image', size: 1234, mime_type: 'image/png', url: '/api/files/file-1' }]
					},
					response: {
						...ids,
						created_at: messages[1].createdAt.toISOString(),
						text: 'I received 1 attachment.',
						reasoning: 'An image.',
						...noFiles,
						event: 'finished',
						is_finished: true,
						is_error: false,
						is_interrupted: false,
						error: null,
						reason: null
					}
				}
			],
			driver: 'auto',
			created_at: created.toISOString(),
			updated_at: updated.toISOString()
		});
		expect(teamTaskSchema.safeParse(result).success).toBe(true);
		expect(fileIdsOf(messages)).toEqual(['file-1']);
	});

	it('leaves out the response of an answer being written, and of a question not yet answered', () => {
		const result = toTeamTask(
			task,
			[
				message('user', [{ type: 'text', text: 'One' }]),
				message('assistant', [{ type: 'text', text: 'Wri', state: 'streaming' }], { status: 'streaming' }),
				message('user', [{ type: 'text', text: 'Two' }])
			],
			{ idTeamAgent: 'tool-demo', files }
		);
		expect(result.content).toHaveLength(2);
		expect(result.content.every((turn) => !('response' in turn))).toBe(true);
	});

	it('reports errors, interruptions and answers waiting for a client tool', () => {
		const result = toTeamTask(
			task,
			[
				message('user', [{ type: 'text', text: 'A' }]),
				message('assistant', [], { status: 'error', error: 'The model failed.' }),
				message('user', [{ type: 'text', text: 'B' }]),
				message('assistant', [{ type: 'text', text: 'Part', state: 'done' }], { status: 'interrupted' }),
				message('user', [{ type: 'text', text: 'C' }]),
				message('assistant', [{ type: 'tool-get_weather', toolCallId: 'call_1', state: 'input-available', input: { city: 'Paris' } }])
			],
			{ idTeamAgent: '2', files }
		);
		expect(result.content.map((turn) => turn.response && [turn.response.event, turn.response.error, turn.response.reason])).toEqual([
			['error', 'The model failed.', null],
			['interrupted', null, 'The answer was stopped before it finished.'],
			[
				'interrupted',
				null,
				'The agent stopped to wait for the result of get_weather, which this API cannot send. Answer it over the agent API or in the app.'
			]
		]);
		expect(result.content[1].response).toMatchObject({ is_interrupted: true, is_finished: false, is_error: false, text: 'Part' });
		expect(result.id_team_agent).toBe('2');
	});

	it('keeps files that are not stored, and answers without a question', () => {
		const result = toTeamTask(
			{ ...task, teamId: null },
			[
				message('assistant', [{ type: 'text', text: 'Welcome', state: 'done' }]),
				message('user', [{ type: 'file', mediaType: 'text/plain', url: 'data:text/plain;base64,aGVsbG8=', filename: 'a.txt' }])
			],
			{ idTeamAgent: 'assistant', files: new Map() }
		);
		expect(result.id_team).toBeNull();
		expect(result.content[0].request.text).toBe('');
		expect(result.content[0].response?.text).toBe('Welcome');
		expect(result.content[1].request.documents).toEqual([
			{ name: 'a.txt', type: 'document', size: 5, mime_type: 'text/plain', url: 'data:text/plain;base64,aGVsbG8=' }
		]);
	});
});
