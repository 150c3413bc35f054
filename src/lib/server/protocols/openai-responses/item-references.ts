import { AppError } from '../../errors';
import type { ResponsesInputItem } from './request';

/** The ids the `item_reference` items of an input name. */
export function referencedIds(items: readonly ResponsesInputItem[]): string[] {
	return items.flatMap((item) => (item.type === 'item_reference' ? [item.id] : []));
}

/**
 * A stored item of a response as input items: an output message, a function call, reasoning and
 * an input item as they are; a call of one of the agent's tools (`mcp_call`) as the call and its
 * result; an approval request as nothing (an `mcp_approval_response` answers it by its id).
 */
export function storedItemAsInput(stored: Record<string, unknown>): ResponsesInputItem[] {
	switch (stored.type) {
		case 'message': {
			const content = Array.isArray(stored.content) ? stored.content : [];
			return [{ ...stored, content } as ResponsesInputItem];
		}
		case 'reasoning': {
			const summary = Array.isArray(stored.summary) ? stored.summary : [];
			return [{ type: 'reasoning', id: String(stored.id), summary } as ResponsesInputItem];
		}
		case 'mcp_call': {
			const call_id = String(stored.id);
			const output = typeof stored.output === 'string' ? stored.output : typeof stored.error === 'string' ? stored.error : '';
			return [
				{ type: 'function_call', call_id, name: String(stored.name), arguments: String(stored.arguments ?? '{}') },
				{ type: 'function_call_output', call_id, output }
			] as ResponsesInputItem[];
		}
		case 'mcp_approval_request':
			return [];
		case 'function_call':
		case 'function_call_output':
		case 'mcp_approval_response':
			return [stored as ResponsesInputItem];
		default:
			return [];
	}
}

/**
 * The input with each `item_reference` replaced by the stored item it names (`found`, the
 * caller's own items by id); `not_found` naming `input.N` for an id that is none of them.
 */
export function resolveItemReferences(
	items: readonly ResponsesInputItem[],
	found: ReadonlyMap<string, Record<string, unknown>>
): ResponsesInputItem[] {
	return resolveWithPositions(items, found).items;
}

/** {@link resolveItemReferences}, with where each resulting item was in the request (for errors). */
export function resolveWithPositions(
	items: readonly ResponsesInputItem[],
	found: ReadonlyMap<string, Record<string, unknown>>
): { items: ResponsesInputItem[]; positions: number[] } {
	const resolved: ResponsesInputItem[] = [];
	const positions: number[] = [];
	items.forEach((item, index) => {
		let added: ResponsesInputItem[] = [item];
		if (item.type === 'item_reference') {
			const stored = found.get(item.id);
			if (!stored) {
				throw new AppError('not_found', `No item "${item.id}" is in a stored response of yours.`, { field: `input.${index}.id` });
			}
			added = storedItemAsInput(stored);
		}
		for (const one of added) {
			resolved.push(one);
			positions.push(index);
		}
	});
	return { items: resolved, positions };
}
