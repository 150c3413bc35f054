import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';

/** A caller's function tool, as OpenAI clients define one. */
export const weatherTool: ChatCompletionTool = {
	type: 'function',
	function: {
		name: 'get_weather',
		description: 'The weather in a city.',
		parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
	}
};

/** Reads a stream of chunks to its end. */
export async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
	const chunks: ChatCompletionChunk[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}
