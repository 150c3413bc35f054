/**
 * The text of a message's parts: its `text` parts, in order, joined with `separator`. Reasoning,
 * files, tool calls and every other kind of part are left out.
 */
export function textOf(parts: readonly { type: string }[], separator: string): string {
	return parts
		.flatMap((part) => (part.type === 'text' && 'text' in part && typeof part.text === 'string' ? [part.text] : []))
		.join(separator);
}
