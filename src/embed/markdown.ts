/**
 * A small Markdown reader for the widget's answers: paragraphs, headings, lists, code blocks,
 * inline code, bold, italics and links. It returns tokens the component renders as elements (never
 * as HTML), so an answer cannot inject markup into the host page.
 */

import { safeUrl } from '$lib/markdown/safe-url';

export type Inline =
	| { type: 'text'; text: string }
	| { type: 'code'; text: string }
	| { type: 'strong'; children: Inline[] }
	| { type: 'em'; children: Inline[] }
	| { type: 'link'; href: string; children: Inline[] };

export type Block =
	| { type: 'paragraph'; children: Inline[] }
	| { type: 'heading'; level: number; children: Inline[] }
	| { type: 'list'; ordered: boolean; items: Inline[][] }
	| { type: 'code'; text: string };

const listItem = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;

/** The blocks of a Markdown text (an unclosed code fence, as while streaming, runs to the end). */
export function parseBlocks(source: string): Block[] {
	const lines = source.replace(/\r\n?/g, '\n').split('\n');
	const blocks: Block[] = [];
	let paragraph: string[] = [];
	const flush = () => {
		if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
		paragraph = [];
	};
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index];
		const fence = line.match(/^\s{0,3}(```+|~~~+)/);
		if (fence) {
			flush();
			const code: string[] = [];
			for (index++; index < lines.length && !lines[index].trimStart().startsWith(fence[1]); index++) code.push(lines[index]);
			blocks.push({ type: 'code', text: code.join('\n') });
			continue;
		}
		const heading = line.match(/^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/);
		if (heading) {
			flush();
			blocks.push({ type: 'heading', level: heading[1].length, children: parseInline(heading[2]) });
			continue;
		}
		const item = line.match(listItem);
		if (item) {
			flush();
			const ordered = item[2] !== undefined;
			const items: Inline[][] = [];
			let current = [item[3]];
			for (index++; index < lines.length; index++) {
				const next = lines[index].match(listItem);
				if (next && (next[2] !== undefined) === ordered) {
					items.push(parseInline(current.join('\n')));
					current = [next[3]];
				} else if (lines[index].trim() !== '' && /^\s+/.test(lines[index])) {
					current.push(lines[index].trim());
				} else break;
			}
			items.push(parseInline(current.join('\n')));
			index--;
			blocks.push({ type: 'list', ordered, items });
			continue;
		}
		if (line.trim() === '') flush();
		else paragraph.push(line);
	}
	flush();
	return blocks;
}

/** The inline tokens of a text. */
export function parseInline(text: string): Inline[] {
	const out: Inline[] = [];
	const pattern =
		/`([^`]+)`|\*\*([^*]+?)\*\*|(?<!\w)__([^_]+?)__(?!\w)|\*([^*\s][^*]*?)\*|(?<!\w)_([^_\s][^_]*?)_(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)/g;
	let last = 0;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		if (match.index > last) out.push({ type: 'text', text: text.slice(last, match.index) });
		const [whole, code, strong, strong2, em, em2, label, href] = match;
		if (code !== undefined) out.push({ type: 'code', text: code });
		else if (strong !== undefined || strong2 !== undefined) out.push({ type: 'strong', children: parseInline(strong ?? strong2) });
		else if (em !== undefined || em2 !== undefined) out.push({ type: 'em', children: parseInline(em ?? em2) });
		else {
			const safe = safeUrl(href, { sameSitePaths: false });
			out.push(safe ? { type: 'link', href: safe, children: parseInline(label) } : { type: 'text', text: whole });
		}
		last = match.index + whole.length;
	}
	if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
	return out;
}
