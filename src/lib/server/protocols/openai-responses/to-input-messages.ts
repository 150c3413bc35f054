import type { UIMessage } from 'ai';
import { AppError } from '../../errors';
import { parseJsonWithin } from '../../http/json-depth';
import type { ToolPart } from '../../runtime/message-parts';
import { dataUrlMediaType, mediaTypeOfFilename, quoteUrl } from '../attachments';
import type { ResponsesContentPart as ContentPart, ResponsesInputItem } from './request';

type Part = UIMessage['parts'][number];
/** A message of the input in the task's own (UIMessage) form. */
export interface InputMessage {
	role: 'system' | 'user' | 'assistant';
	parts: UIMessage['parts'];
}

/** What the input holds, in order: messages, and references to earlier items by id. */
export type InputEntry =
	| { kind: 'message'; message: InputMessage; field: string }
	/** An earlier item (a stored output of this caller's) by its id: the caller resolves it or refuses it. */
	| { kind: 'reference'; id: string; field: string };

/** A caller's result for a call that is not in this input: a call of the response it continues. */
export interface InputToolOutput {
	toolCallId: string;
	output: unknown;
	/** Where it is in the request, for errors: `input.3`. */
	field: string;
}

/** A caller's answer to an approval request of the response it continues. */
export interface InputApproval {
	approvalId: string;
	approved: boolean;
	reason?: string;
	field: string;
}

/** `input` in a protocol-free form. */
export interface NormalizedInput {
	entries: InputEntry[];
	toolOutputs: InputToolOutput[];
	approvals: InputApproval[];
}

/** The answer being built from a run of assistant-side items (messages, calls, reasoning). */
interface AssistantGroup {
	message: InputMessage;
	calls: Map<string, { part: ToolPart; name: string; field: string; answered: boolean }>;
}

/** JSON when it parses (within the JSON depth limit), else the text as sent. */
function parseJsonOrText(text: string): unknown {
	try {
		return parseJsonWithin(text);
	} catch {
		return text;
	}
}

/** A content part from the caller's side as a UIMessage part: text as is, images and files inline as file parts. */
function inputPart(part: ContentPart): Part {
	switch (part.type) {
		case 'input_text':
			return { type: 'text', text: part.text };
		case 'input_image': {
			const url = part.image_url ?? '';
			const mediaType = dataUrlMediaType(url);
			if (mediaType) return { type: 'file', mediaType, url };
			const what = url ? quoteUrl(url) : (part.file_id ?? 'no address');
			return { type: 'text', text: `[An image was left out (${what}): only images sent as data URLs reach the agent.]` };
		}
		case 'input_file': {
			const named = part.filename ? { filename: part.filename } : {};
			const data = part.file_data;
			if (data) {
				const mediaType = dataUrlMediaType(data);
				if (mediaType) return { type: 'file', mediaType, url: data, ...named };
				const guessed = mediaTypeOfFilename(part.filename);
				return { type: 'file', mediaType: guessed, url: `data:${guessed};base64,${data}`, ...named };
			}
			const what = part.filename ?? part.file_url ?? part.file_id ?? 'unnamed';
			return { type: 'text', text: `[A file was left out (${what}): only files sent as file_data reach the agent.]` };
		}
	}
}

/** A function call output as the runtime takes it: text parts joined, JSON parsed. */
function outputValue(output: string | ContentPart[]): unknown {
	if (typeof output === 'string') return parseJsonOrText(output);
	const parts = output.map(inputPart);
	if (parts.every((part) => part.type === 'text')) {
		return parseJsonOrText(parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n'));
	}
	return parts;
}

/**
 * Converts the `input` of a Responses request into messages of the task's own form. A message
 * from `system` or `developer` becomes a system message. An assistant message, the function
 * calls and reasoning around it, and the `function_call_output` items answering those calls make
 * one stored answer (as the runtime stores a multi-step answer), each call a `tool-<name>` part
 * with its output. A `function_call_output` for a call not in the input answers a call of the
 * response it continues (`toolOutputs`), and an `mcp_approval_response` answers an approval
 * request there (`approvals`); `item_reference` items stay in place for the caller to resolve.
 *
 * `invalid_input` naming the item at fault (`input.N`) for input OpenAI would refuse too: a call
 * answered twice or a call id used twice, or a call with no output. A call of one of the agent's
 * own tools (`serverTools`) is history at most: it never runs, and a caller's `function_call` of
 * one without its output is refused, since only the agent calls its tools.
 */
export function toInputMessages(
	items: readonly ResponsesInputItem[],
	options: {
		serverTools?: ReadonlySet<string>;
		/** Where each item was in the request, when items were put in place of references (by default its index). */
		positions?: readonly number[];
	} = {}
): NormalizedInput {
	const entries: InputEntry[] = [];
	const toolOutputs: InputToolOutput[] = [];
	const approvals: InputApproval[] = [];
	const groups: AssistantGroup[] = [];
	let open: AssistantGroup | undefined;

	/** The answer under way, or a new one. */
	const assistant = (field: string): AssistantGroup => {
		if (open) return open;
		const group: AssistantGroup = { message: { role: 'assistant', parts: [{ type: 'step-start' }] }, calls: new Map() };
		entries.push({ kind: 'message', message: group.message, field });
		groups.push(group);
		open = group;
		return group;
	};
	/** A call of the answer under way, or of an earlier one. */
	const findCall = (callId: string) => {
		for (const group of [...groups].reverse()) {
			const call = group.calls.get(callId);
			if (call) return call;
		}
		return undefined;
	};

	items.forEach((item, index) => {
		const field = `input.${options.positions?.[index] ?? index}`;
		switch (item.type) {
			case 'message': {
				if (item.role === 'assistant') {
					const group = assistant(field);
					for (const part of item.content) {
						const text = part.type === 'refusal' ? part.refusal : part.text;
						if (text !== '') group.message.parts.push({ type: 'text', text, state: 'done' });
					}
					break;
				}
				open = undefined;
				const role = item.role === 'user' ? 'user' : 'system';
				const parts = role === 'user' ? item.content.map(inputPart) : [{ type: 'text' as const, text: textOf(item.content) }];
				entries.push({ kind: 'message', message: { role, parts }, field });
				break;
			}
			case 'reasoning': {
				const text = item.summary.map((part) => part.text).join('\n\n');
				if (text !== '') assistant(field).message.parts.push({ type: 'reasoning', text, state: 'done' });
				break;
			}
			case 'function_call': {
				const group = assistant(field);
				if (findCall(item.call_id)) {
					throw new AppError('invalid_input', `The call id "${item.call_id}" is used twice.`, { field: `${field}.call_id` });
				}
				const part: ToolPart = {
					type: `tool-${item.name}`,
					toolCallId: item.call_id,
					state: 'input-available',
					input: parseJsonOrText(item.arguments)
				};
				group.message.parts.push(part as Part);
				group.calls.set(item.call_id, { part, name: item.name, field, answered: false });
				break;
			}
			case 'function_call_output': {
				const call = findCall(item.call_id);
				if (!call) {
					open = undefined;
					toolOutputs.push({ toolCallId: item.call_id, output: outputValue(item.output), field });
					break;
				}
				if (call.answered) {
					throw new AppError('invalid_input', `The call "${item.call_id}" is answered twice.`, { field: `${field}.call_id` });
				}
				call.answered = true;
				Object.assign(call.part, { state: 'output-available', output: outputValue(item.output) });
				break;
			}
			case 'mcp_approval_response':
				open = undefined;
				approvals.push({
					approvalId: item.approval_request_id,
					approved: item.approve,
					...(item.reason ? { reason: item.reason } : {}),
					field
				});
				break;
			case 'item_reference':
				open = undefined;
				entries.push({ kind: 'reference', id: item.id, field });
				break;
		}
	});

	for (const group of groups) {
		for (const [callId, call] of group.calls) {
			if (call.answered) continue;
			const message = options.serverTools?.has(call.name)
				? `The function_call "${callId}" names the agent's tool "${call.name}": only the agent calls its tools. Send only the results of your own tools' calls.`
				: `The function_call "${callId}" has no function_call_output answering it: send one after it.`;
			throw new AppError('invalid_input', message, { field: call.field });
		}
	}
	return { entries, toolOutputs, approvals };
}

/** The text of content parts, for a system message (images and files have no place there). */
function textOf(content: readonly ContentPart[]): string {
	return content
		.map((part) => (part.type === 'input_text' ? part.text : ''))
		.filter((text) => text !== '')
		.join('\n');
}
