// The AI SDK's chat code, with the schema library its stream validation needs: a chunk of its own,
// which the chat page fetches when a person starts to interact or an answer is to be streamed,
// not with the page (see lazy-chat.svelte.ts). Import it only with a dynamic `import()`.
// Zod is told not to compile parsers first, before the SDK's modules make any schema.
import './zod-jitless';
export { Chat } from '@ai-sdk/svelte';
export {
	DefaultChatTransport,
	lastAssistantMessageIsCompleteWithApprovalResponses,
	lastAssistantMessageIsCompleteWithToolCalls,
	readUIMessageStream
} from 'ai';
