import { createServer, type Server } from 'node:http';

/**
 * An OpenAI-compatible Chat Completions server whose every stream breaks down after two words:
 * a text chunk, then an error chunk saying `message` (which must never reach a caller verbatim).
 * Listen on a loopback port and point `OPENAI_COMPATIBLE_BASE_URL` at it.
 */
export function failingProvider(message = 'backend exploded'): Server {
	return createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const chunk = {
				id: 'chatcmpl-flaky',
				object: 'chat.completion.chunk',
				created: 0,
				model: 'flaky',
				choices: [{ index: 0, delta: { role: 'assistant', content: 'Partial answer' }, finish_reason: null }]
			};
			response.write(`data: ${JSON.stringify(chunk)}\n\n`);
			response.write(`data: ${JSON.stringify({ error: { message, type: 'server_error', code: 'overloaded' } })}\n\n`);
			response.end('data: [DONE]\n\n');
		});
	});
}
