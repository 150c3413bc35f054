import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/**
 * The test MCP server's tools, shared by its HTTP server (server.ts) and its stdio entry point
 * (stdio.mjs). Plain JavaScript, so that `node` starts the stdio one without a compile step.
 */

/** A red 1×1 PNG. */
export const PIXEL_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/**
 * A new MCP server with the test tools; `bonus` is offered only when `bonusOn`.
 * @param {boolean} bonusOn
 */
export function newMcpServer(bonusOn) {
	const server = new McpServer({ name: 'test-mcp', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
	server.registerTool(
		'echo',
		{ description: 'Echoes the text back.', inputSchema: { text: z.string().describe('What to echo') } },
		async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] })
	);
	server.registerTool('pixel', { description: 'Draws a tiny red pixel.' }, async () => ({
		content: [
			{ type: 'text', text: 'Here is a pixel.' },
			{ type: 'image', data: PIXEL_PNG_BASE64, mimeType: 'image/png' }
		]
	}));
	server.registerTool('explode', { description: 'Always fails.' }, async () => ({
		content: [{ type: 'text', text: 'The explode tool blew up.' }],
		isError: true
	}));
	server.registerTool('manual', { description: 'Returns the manual as a resource.' }, async () => ({
		content: [{ type: 'resource', resource: { uri: 'file:///manual.txt', mimeType: 'text/plain', text: 'Turn it off and on again.' } }]
	}));
	server.registerTool('hang', { description: 'Never answers.' }, () => new Promise(() => {}));
	const bonus = server.registerTool('bonus', { description: 'A tool that comes and goes.' }, async () => ({
		content: [{ type: 'text', text: 'bonus!' }]
	}));
	if (!bonusOn) bonus.disable();
	return { server, bonus };
}
