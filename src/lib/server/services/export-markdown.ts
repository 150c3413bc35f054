import type { ExportedMessage, TaskExport } from './task-export';

type Part = ExportedMessage['parts'][number];

/** A fence of backticks longer than any run of backticks in the text, so the text cannot close it. */
export function fenceFor(text: string): string {
	const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
	return '`'.repeat(Math.max(3, longest + 1));
}

/** A fenced code block holding `text` verbatim. */
function codeBlock(text: string, language = ''): string {
	const fence = fenceFor(text);
	return `${fence}${language}\n${text}\n${fence}`;
}

/** Text as a Markdown quote: every line behind `> `. */
function quote(text: string): string {
	return text
		.split('\n')
		.map((line) => (line ? `> ${line}` : '>'))
		.join('\n');
}

/** Link text with the characters that would end or break a link escaped. */
function linkText(text: string): string {
	return text.replace(/[\\[\]*_`<>]/g, (character) => `\\${character}`);
}

/** A link destination that survives spaces and parentheses. */
function destination(url: string): string {
	return /[\s()<>]/.test(url) ? `<${url.replace(/[<>]/g, encodeURIComponent)}>` : url;
}

/** A value as readable JSON. */
function json(value: unknown): string {
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value, null, 2) ?? String(value);
	} catch {
		return String(value);
	}
}

interface ToolPart {
	type: string;
	toolName?: string;
	state?: string;
	input?: unknown;
	output?: unknown;
	errorText?: string;
}

function isToolPart(part: Part): part is Part & ToolPart {
	return part.type.startsWith('tool-') || part.type === 'dynamic-tool';
}

/** A tool call: its name, its input, and its output or error. */
function toolMarkdown(part: ToolPart): string {
	const name = part.type === 'dynamic-tool' ? (part.toolName ?? 'tool') : part.type.slice('tool-'.length);
	const lines = [`**Tool call: \`${name}\`**`];
	if (part.input !== undefined) lines.push('', 'Input:', '', codeBlock(json(part.input), 'json'));
	if (part.state === 'output-error') lines.push('', `Error: ${part.errorText ?? 'the tool failed.'}`);
	else if (part.state === 'output-denied') lines.push('', 'The call was denied.');
	else if (part.output !== undefined) lines.push('', 'Output:', '', codeBlock(json(part.output), 'json'));
	else lines.push('', '*No output yet.*');
	return lines.join('\n');
}

/** One part of a message in Markdown, or undefined for a part that shows nothing (such as a step boundary). */
export function partMarkdown(part: Part, role: ExportedMessage['role']): string | undefined {
	switch (part.type) {
		case 'text':
			return part.text.trim() ? part.text.trim() : undefined;
		case 'reasoning':
			return part.text.trim() ? quote(`**Reasoning**\n\n${part.text.trim()}`) : undefined;
		case 'file': {
			const name = part.filename || part.mediaType;
			if (/^data:/i.test(part.url)) return `*Attached file: ${linkText(name)} (${part.mediaType}), stored in the JSON export.*`;
			const image = part.mediaType.toLowerCase().startsWith('image/');
			return `${image ? '!' : ''}[${linkText(name)}](${destination(part.url)})`;
		}
		case 'source-url':
			return `Source: [${linkText(part.title || part.url)}](${destination(part.url)})`;
		default:
			if (isToolPart(part)) return toolMarkdown(part);
			// Widgets and other data parts are interactive: the JSON export keeps them.
			if (part.type.startsWith('data-') && role === 'assistant') return '*An interactive widget (kept in the JSON export).*';
			return undefined;
	}
}

/** Who wrote a message, as its heading says it. */
function author(message: ExportedMessage, agentName: string): string {
	if (message.role === 'user') return 'You';
	if (message.role === 'system') return 'System';
	return agentName;
}

/** The note under an answer that did not end normally. */
function statusNote(message: ExportedMessage): string | undefined {
	if (message.status === 'interrupted') return '*This answer was stopped before it finished.*';
	if (message.status === 'error') return `*This answer failed${message.error ? `: ${message.error}` : '.'}*`;
	if (message.status === 'streaming') return '*This answer was still being written.*';
	return undefined;
}

/** A date and time for people, in UTC: `2026-12-06 21:05 UTC`. */
function readableTime(iso: string): string {
	return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * A task's export as a Markdown document: its title, its agent and when it was exported, then each
 * message under a heading naming who wrote it. Answers keep their Markdown; reasoning is quoted,
 * tool calls show their input and output as JSON code blocks, and files are links (images as
 * images).
 */
export function exportMarkdown(exported: TaskExport): string {
	const { task } = exported;
	const title = task.title.trim() || 'Untitled chat';
	const blocks = [
		`# ${title.replace(/\n/g, ' ')}`,
		`Agent: **${task.agent.name}** · Exported ${readableTime(exported.exported_at)} · ${exported.messages.length} ${
			exported.messages.length === 1 ? 'message' : 'messages'
		}`
	];
	for (const message of exported.messages) {
		const body = message.parts.map((part) => partMarkdown(part, message.role)).filter((text) => text !== undefined);
		const note = statusNote(message);
		blocks.push('---', `## ${author(message, task.agent.name)}`, ...body, ...(note ? [note] : []));
	}
	return `${blocks.join('\n\n')}\n`;
}
