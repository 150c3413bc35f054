import type { UIMessage } from 'ai';
import { isToolPart, type ToolPart } from '../../runtime/message-parts';
import { toolCallArguments } from '../responses-event-builder';
import type { OpenResponsesContext } from './response-object';

/**
 * The calls of the agent's tools in the answer a response continues, for the results the response
 * may show of them (an approved call runs at its start).
 */
export function priorHostedCalls(
	parts: UIMessage['parts'],
	hostedTools: ReadonlySet<string>
): NonNullable<OpenResponsesContext['priorCalls']> {
	return (parts as (UIMessage['parts'][number] | ToolPart)[]).filter(isToolPart).flatMap((part) => {
		const name = part.type.slice('tool-'.length);
		if (!hostedTools.has(name)) return [];
		return [
			{
				toolCallId: part.toolCallId,
				name,
				arguments: toolCallArguments(part.input),
				...(part.approval ? { approvalId: part.approval.id } : {})
			}
		];
	});
}
