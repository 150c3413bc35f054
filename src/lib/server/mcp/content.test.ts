import { describe, expect, it } from 'vitest';
import { mcpModelOutput, mcpResultText } from './content';

describe('mcpModelOutput', () => {
	it('maps text, images, audio, embedded resources and links to content parts', () => {
		const output = mcpModelOutput({
			content: [
				{ type: 'text', text: 'Hello' },
				{ type: 'image', data: 'AAAA', mimeType: 'image/png' },
				{ type: 'audio', data: 'BBBB', mimeType: 'audio/mpeg' },
				{ type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside' } },
				{ type: 'resource', resource: { uri: 'file:///b.png', blob: 'CCCC', mimeType: 'image/png' } },
				{ type: 'resource', resource: { uri: 'file:///c.bin', blob: 'DDDD', mimeType: 'application/zip' } },
				{ type: 'resource_link', uri: 'https://example.com/doc', name: 'doc' }
			]
		});
		expect(output).toEqual({
			type: 'content',
			value: [
				{ type: 'text', text: 'Hello' },
				{ type: 'image-data', data: 'AAAA', mediaType: 'image/png' },
				{ type: 'file-data', data: 'BBBB', mediaType: 'audio/mpeg' },
				{ type: 'text', text: 'inside' },
				{ type: 'image-data', data: 'CCCC', mediaType: 'image/png' },
				{ type: 'text', text: '[Binary resource file:///c.bin (application/zip)]' },
				{ type: 'text', text: '[Resource "doc": https://example.com/doc]' }
			]
		});
	});

	it('passes structured content when there is no content, and says when there is nothing', () => {
		expect(mcpModelOutput({ content: [], structuredContent: { a: 1 } })).toEqual({
			type: 'content',
			value: [{ type: 'text', text: '{"a":1}' }]
		});
		expect(mcpModelOutput({ content: [] })).toEqual({ type: 'content', value: [{ type: 'text', text: '(no content)' }] });
	});

	it('gives the text of an error result', () => {
		expect(
			mcpResultText({
				content: [
					{ type: 'text', text: 'It broke.' },
					{ type: 'image', data: 'AAAA', mimeType: 'image/png' }
				]
			})
		).toBe('It broke.\n[image-data]');
	});
});
