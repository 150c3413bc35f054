import { describe, expect, it } from 'vitest';
import { exportMarkdown, fenceFor, partMarkdown } from './export-markdown';
import type { ExportedMessage, TaskExport } from './task-export';

function message(role: ExportedMessage['role'], parts: ExportedMessage['parts'], extra: Partial<ExportedMessage> = {}): ExportedMessage {
	return {
		id: `m${Math.random()}`,
		role,
		status: 'complete',
		error: null,
		model: null,
		created_at: '2026-12-06T10:00:00.000Z',
		parts,
		...extra
	};
}

function exported(messages: ExportedMessage[], title = 'Trip to Lisbon'): TaskExport {
	return {
		format: 'parley.task-export',
		version: 1,
		exported_at: '2026-12-06T21:05:42.000Z',
		task: {
			id: 't1',
			title,
			agent: { slug: 'assistant', name: 'Assistant' },
			created_at: '2026-12-06T10:00:00.000Z',
			updated_at: '2026-12-06T10:01:00.000Z'
		},
		messages,
		files: []
	};
}

describe('exportMarkdown', () => {
	it('writes the title, the agent, then each message under who wrote it', () => {
		const markdown = exportMarkdown(
			exported([
				message('user', [{ type: 'text', text: 'Where should I eat?' }]),
				message('assistant', [{ type: 'step-start' }, { type: 'text', text: 'Try **Time Out Market**.\n\n- pastel de nata' }])
			])
		);
		expect(markdown).toBe(
			[
				'# Trip to Lisbon',
				'',
				'Agent: **Assistant** · Exported 2026-12-06 21:05 UTC · 2 messages',
				'',
				'---',
				'',
				'## You',
				'',
				'Where should I eat?',
				'',
				'---',
				'',
				'## Assistant',
				'',
				'Try **Time Out Market**.\n\n- pastel de nata',
				''
			].join('\n')
		);
	});

	it('names an untitled chat and counts one message in the singular', () => {
		const markdown = exportMarkdown(exported([message('user', [{ type: 'text', text: 'Hi' }])], '  '));
		expect(markdown.startsWith('# Untitled chat\n\nAgent: **Assistant** · Exported 2026-12-06 21:05 UTC · 1 message\n')).toBe(true);
	});

	it('quotes reasoning line by line', () => {
		expect(partMarkdown({ type: 'reasoning', text: 'First this.\n\nThen that.' }, 'assistant')).toBe(
			'> **Reasoning**\n>\n> First this.\n>\n> Then that.'
		);
	});

	it('shows a tool call with its input and output as JSON blocks', () => {
		const text = partMarkdown(
			{ type: 'tool-calculator', toolCallId: 'c1', state: 'output-available', input: { expression: '2+2' }, output: { result: 4 } },
			'assistant'
		);
		expect(text).toBe(
			[
				'**Tool call: `calculator`**',
				'',
				'Input:',
				'',
				'```json\n{\n  "expression": "2+2"\n}\n```',
				'',
				'Output:',
				'',
				'```json\n{\n  "result": 4\n}\n```'
			].join('\n')
		);
	});

	it('shows a failed or dynamic tool call by its name and error', () => {
		const text = partMarkdown(
			{ type: 'dynamic-tool', toolName: 'lookup', toolCallId: 'c2', state: 'output-error', input: 'x', errorText: 'timed out' },
			'assistant'
		);
		expect(text).toContain('**Tool call: `lookup`**');
		expect(text).toContain('Error: timed out');
	});

	it('makes fences longer than the backticks inside', () => {
		expect(fenceFor('no ticks')).toBe('```');
		expect(fenceFor('a ```` fence')).toBe('`````');
	});

	it('links files, shows images as images, and escapes their names', () => {
		expect(partMarkdown({ type: 'file', mediaType: 'image/png', url: 'http://h/api/files/f1', filename: 'cat [1].png' }, 'user')).toBe(
			'![cat \\[1\\].png](http://h/api/files/f1)'
		);
		expect(partMarkdown({ type: 'file', mediaType: 'application/pdf', url: 'http://h/a b(1).pdf', filename: 'a.pdf' }, 'user')).toBe(
			'[a.pdf](<http://h/a b(1).pdf>)'
		);
		expect(partMarkdown({ type: 'file', mediaType: 'text/plain', url: 'data:text/plain;base64,aGk=', filename: 'hi.txt' }, 'user')).toBe(
			'*Attached file: hi.txt (text/plain), stored in the JSON export.*'
		);
	});

	it('notes answers that were stopped or failed', () => {
		const markdown = exportMarkdown(
			exported([
				message('assistant', [{ type: 'text', text: 'Half' }], { status: 'interrupted' }),
				message('assistant', [], { status: 'error', error: 'The model is unavailable.' })
			])
		);
		expect(markdown).toContain('Half\n\n*This answer was stopped before it finished.*');
		expect(markdown).toContain('*This answer failed: The model is unavailable.*');
	});

	it('leaves out parts that show nothing', () => {
		expect(partMarkdown({ type: 'step-start' }, 'assistant')).toBeUndefined();
		expect(partMarkdown({ type: 'text', text: '   ' }, 'assistant')).toBeUndefined();
	});
});
