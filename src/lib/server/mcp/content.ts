import type { Tool } from 'ai';
import { isObject } from '../../is-object';

/**
 * How the result of an MCP `tools/call` reaches the model: its content blocks become the parts
 * of an AI SDK `content` tool output — text as text, images as image data, audio as file data,
 * embedded resources as their text (an embedded image as image data, other binary resources as
 * a line naming them), resource links as a line naming them. A result with no content but
 * `structuredContent` passes that as JSON text.
 */

/** The parts of a `tools/call` result Parley keeps: what the model gets. */
export interface McpToolOutput {
	content: unknown[];
	structuredContent?: Record<string, unknown>;
}

/** What a tool's `toModelOutput` returns. */
export type ToolResultOutput = Awaited<ReturnType<NonNullable<Tool['toModelOutput']>>>;

type ContentPart = Extract<ToolResultOutput, { type: 'content' }>['value'][number];

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** One MCP content block as AI SDK content parts. */
function partsOf(block: unknown): ContentPart[] {
	if (!isObject(block)) return [];
	switch (block.type) {
		case 'text':
			return [{ type: 'text', text: str(block.text) ?? '' }];
		case 'image': {
			const data = str(block.data);
			return data ? [{ type: 'image-data', data, mediaType: str(block.mimeType) ?? 'image/png' }] : [];
		}
		case 'audio': {
			const data = str(block.data);
			return data ? [{ type: 'file-data', data, mediaType: str(block.mimeType) ?? 'audio/wav' }] : [];
		}
		case 'resource_link': {
			const name = str(block.title) ?? str(block.name) ?? 'resource';
			return [{ type: 'text', text: `[Resource "${name}": ${str(block.uri) ?? ''}]` }];
		}
		case 'resource': {
			const resource = isObject(block.resource) ? block.resource : {};
			const uri = str(resource.uri) ?? '';
			const text = str(resource.text);
			if (text !== undefined) return [{ type: 'text', text }];
			const blob = str(resource.blob);
			const mediaType = str(resource.mimeType) ?? 'application/octet-stream';
			if (blob && mediaType.startsWith('image/')) return [{ type: 'image-data', data: blob, mediaType }];
			return [{ type: 'text', text: `[Binary resource ${uri} (${mediaType})]` }];
		}
		default:
			return [{ type: 'text', text: `[Unsupported content: ${String(block.type)}]` }];
	}
}

/** The model's view of an MCP tool result. */
export function mcpModelOutput(output: unknown): ToolResultOutput {
	const result = isObject(output) ? output : {};
	const content = Array.isArray(result.content) ? result.content : [];
	const parts = content.flatMap(partsOf);
	if (parts.length === 0 && isObject(result.structuredContent)) {
		return { type: 'content', value: [{ type: 'text', text: JSON.stringify(result.structuredContent) }] };
	}
	if (parts.length === 0) return { type: 'content', value: [{ type: 'text', text: '(no content)' }] };
	return { type: 'content', value: parts };
}

/** The text of a result's content blocks (for an `isError` result's message). */
export function mcpResultText(output: unknown): string {
	const value = mcpModelOutput(output);
	if (value.type !== 'content') return '';
	return value.value
		.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`))
		.join('\n')
		.trim();
}
