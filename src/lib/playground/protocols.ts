import { a2aProtocol } from './a2a';
import { agUiProtocol } from './ag-ui';
import { agentApiProtocol } from './agent-api';
import { assistantDataStreamProtocol } from './assistant-data-stream';
import { assistantTransportProtocol } from './assistant-transport';
import { openAIProtocol } from './openai-chat';
import { openAIResponsesProtocol } from './openai-responses';
import { teamTasksProtocol } from './team-tasks';
import type { PlaygroundProtocol, PlaygroundSession, ProtocolId } from './types';
import { uiStreamProtocol } from './ui-stream';

/** Every protocol the playground speaks, in the order the picker lists them. */
export const PROTOCOLS: readonly PlaygroundProtocol[] = [
	uiStreamProtocol,
	agentApiProtocol,
	assistantDataStreamProtocol,
	assistantTransportProtocol,
	teamTasksProtocol,
	openAIProtocol,
	openAIResponsesProtocol,
	agUiProtocol,
	a2aProtocol
];

/** Whether a text is a protocol id. */
export function isProtocolId(value: unknown): value is ProtocolId {
	return PROTOCOLS.some((protocol) => protocol.info.id === value);
}

/** The protocol with an id. */
export function protocolOf(id: ProtocolId): PlaygroundProtocol {
	const protocol = PROTOCOLS.find((candidate) => candidate.info.id === id);
	if (!protocol) throw new Error(`Unknown protocol ${id}`);
	return protocol;
}

/** A fresh session for every protocol. */
export function newSessions(makeId?: () => string): Record<ProtocolId, PlaygroundSession> {
	return Object.fromEntries(PROTOCOLS.map((protocol) => [protocol.info.id, protocol.newSession(makeId)])) as Record<
		ProtocolId,
		PlaygroundSession
	>;
}
