import type {
	LanguageModelV3,
	LanguageModelV3CallOptions,
	LanguageModelV3Content,
	LanguageModelV3FilePart,
	LanguageModelV3FinishReason,
	LanguageModelV3FunctionTool,
	LanguageModelV3GenerateResult,
	LanguageModelV3Message,
	LanguageModelV3Prompt,
	LanguageModelV3StreamPart,
	LanguageModelV3StreamResult,
	LanguageModelV3ToolResultOutput,
	LanguageModelV3ToolResultPart,
	LanguageModelV3Usage
} from '@ai-sdk/provider';
import { describeSearchResult, searchToolOf } from './offline-search';
import { parseFileDescriptionPart, parseFileTextPart, type FileDescription } from '../files/file-text-part';

/** Options of the {@link OfflineModel}. */
export interface OfflineModelOptions {
	/** Model id reported to the AI SDK; defaults to `'mock'`. */
	modelId?: string;
	/** Pause between two streamed words in milliseconds; defaults to 15, 0 streams as fast as possible. */
	tokenDelayMs?: number;
}

/** A tool call the offline model decided to make. */
interface PlannedToolCall {
	toolCallId: string;
	toolName: string;
	/** The JSON-encoded arguments. */
	input: string;
}

/** Everything the offline model answers to one call, before it is streamed. */
interface Plan {
	reasoning: string;
	text: string;
	toolCalls: PlannedToolCall[];
}

/** A JSON object (arguments of a tool call). */
type JsonObject = Record<string, unknown>;

type UserMessage = Extract<LanguageModelV3Message, { role: 'user' }>;
type ToolMessage = Extract<LanguageModelV3Message, { role: 'tool' }>;

const DEFAULT_MODEL_ID = 'mock';
const DEFAULT_TOKEN_DELAY_MS = 15;
/** With no delay, the stream still yields to the event loop after this many parts. */
const PARTS_PER_YIELD = 64;
const ECHO_WORDS = 30;
const TOPIC_WORDS = 8;
const ATTACHMENT_QUOTE_WORDS = 12;
const TOOL_RESULT_WORDS = 100;
const MAX_JSON_CANDIDATES = 100;

/**
 * Parley's built-in offline model: a deterministic AI SDK language model used when no API key
 * is configured. It streams word by word, reasons briefly, calls the tools the user names, quotes
 * tool results, describes attachments, answers a request for "a code example" with a fixed fenced
 * TypeScript block and otherwise echoes the request. Same prompt, same output.
 */
export class OfflineModel implements LanguageModelV3 {
	readonly specificationVersion = 'v3';
	readonly provider = 'offline';
	readonly modelId: string;
	/** URLs of every kind are passed through untouched: the offline model never downloads anything. */
	readonly supportedUrls: Record<string, RegExp[]> = { '*/*': [/^/] };
	private readonly tokenDelayMs: number;

	constructor(options: OfflineModelOptions = {}) {
		this.modelId = options.modelId ?? DEFAULT_MODEL_ID;
		this.tokenDelayMs = Math.max(0, options.tokenDelayMs ?? DEFAULT_TOKEN_DELAY_MS);
	}

	/** Answers at once with the same content {@link doStream} would stream. */
	async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
		throwIfAborted(options.abortSignal);
		const plan = planResponse(options);
		return {
			content: planContent(plan),
			finishReason: finishReasonOf(plan),
			usage: usageOf(options.prompt, plan),
			response: responseMetadata(options.prompt, this.modelId),
			warnings: []
		};
	}

	/** Streams the answer word by word, pausing `tokenDelayMs` between words; honours the abort signal. */
	async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
		throwIfAborted(options.abortSignal);
		const plan = planResponse(options);
		const parts: LanguageModelV3StreamPart[] = [
			{ type: 'stream-start', warnings: [] },
			{ type: 'response-metadata', ...responseMetadata(options.prompt, this.modelId) },
			...planStreamParts(plan),
			{ type: 'finish', finishReason: finishReasonOf(plan), usage: usageOf(options.prompt, plan) }
		];
		return { stream: streamParts(parts, this.tokenDelayMs, options.abortSignal) };
	}
}

// ---------------------------------------------------------------------------------------------
// Planning: what to answer

/** Decides the reasoning, the text and the tool calls for one call. */
function planResponse(options: LanguageModelV3CallOptions): Plan {
	const last = options.prompt.at(-1);
	if (last?.role === 'tool') return planToolResultAnswer(last);
	return planUserAnswer(options);
}

/** Second step of a tool run: quotes every tool result and calls no tool. */
function planToolResultAnswer(message: ToolMessage): Plan {
	const results = message.content.filter(
		(part): part is LanguageModelV3ToolResultPart => part.type === 'tool-result'
	);
	if (results.length === 0) {
		return {
			reasoning: 'The tool step finished without results. I will say so.',
			text: 'The tools finished without returning a result.',
			toolCalls: []
		};
	}
	const toolNames = unique(results.map((result) => result.toolName));
	const names = joinNames(toolNames);
	const reasoning =
		results.length === 1
			? `I received the result of the ${names} tool. I will report it to the user.`
			: `I received the results of the ${names} ${plural(toolNames.length, 'tool')}. I will report them to the user.`;
	const answers = results.map(
		(result) => (result.output.type === 'json' && describeSearchResult(result.toolName, result.output.value)) || describeToolResult(result)
	);
	return { reasoning, text: answers.join(' '), toolCalls: [] };
}

/** Answers the last user message: tool calls, a request for missing arguments, or a plain reply. */
function planUserAnswer(options: LanguageModelV3CallOptions): Plan {
	const message = lastUserMessage(options.prompt);
	const text = message ? userText(message) : '';
	const files = message ? attachmentsOf(message) : [];
	const attachments = files.length > 0 ? [describeAttachments(files)] : [];

	const functionTools = availableTools(options);
	const tools = namedTools(text, functionTools);
	const args = tools.length > 0 ? extractArguments(text) : {};
	// A question to an agent that can search its knowledge is searched with the question's words.
	const search = tools.length === 0 && asksQuestion(text) ? searchToolOf(functionTools) : undefined;
	if (search) tools.push(search);
	const requests = tools.map((tool) => resolveToolInput(tool, search ? { query: text.trim() } : args));
	const ready = requests.filter((request) => request.missing.length === 0);
	const incomplete = requests.filter((request) => request.missing.length > 0);

	const reasoning = [introReasoning(text, files.length)];
	const blocks = [...attachments];
	let toolCalls: PlannedToolCall[] = [];

	if (ready.length > 0) {
		const names = joinNames(ready.map((request) => request.tool.name));
		const tool = plural(ready.length, 'tool');
		reasoning.push(`I will call the ${names} ${tool}.`);
		blocks.push(`Let me use the ${names} ${tool}.`);
		const firstId = countToolCalls(options.prompt) + 1;
		toolCalls = ready.map((request, index) => ({
			toolCallId: `call_${firstId + index}`,
			toolName: request.tool.name,
			input: JSON.stringify(request.input)
		}));
	}
	for (const request of incomplete) {
		reasoning.push(
			`The ${request.tool.name} tool needs ${quoteNames(request.missing)}, so I will ask for ${request.missing.length === 1 ? 'it' : 'them'}.`
		);
		blocks.push(missingArgumentsRequest(request.tool.name, request.missing));
	}
	if (requests.length === 0) {
		const reply = plainReply(text, files.length);
		reasoning.push(reply.reasoning);
		blocks.push(reply.text);
	}
	return { reasoning: reasoning.join(' '), text: blocks.join('\n\n'), toolCalls };
}

/** Whether a message asks something a search could answer (not a greeting, not a request for a sample). */
function asksQuestion(text: string): boolean {
	if (words(text).length === 0 || wantsLongAnswer(text) || wantsCodeExample(text)) return false;
	return !/^\s*(hi|hello|hey|thanks?|thank you|good (morning|afternoon|evening))\b[\s!.,]*$/i.test(text);
}

/** The answer when no tool is involved: a greeting, a long answer or an echo. */
function plainReply(text: string, fileCount: number): { reasoning: string; text: string } {
	if (words(text).length === 0) {
		if (fileCount > 0) {
			return {
				reasoning: 'I will describe the attachments and ask what to do with them.',
				text: `What would you like me to do with ${fileCount === 1 ? 'it' : 'them'}?`
			};
		}
		return { reasoning: 'I will greet them.', text: GREETING };
	}
	if (wantsLongAnswer(text)) {
		return { reasoning: 'I will write several paragraphs.', text: longAnswer(topicOf(text)) };
	}
	if (wantsCodeExample(text)) {
		return { reasoning: 'I will show a short TypeScript example.', text: CODE_EXAMPLE };
	}
	return { reasoning: 'I will answer directly.', text: echoAnswer(text) };
}

/** True when the message asks for "a long answer" (any case). */
function wantsLongAnswer(text: string): boolean {
	return /\ba\s+long\s+answer\b/i.test(text);
}

/** True when the message asks for "a code example" (any case); a long answer takes precedence. */
function wantsCodeExample(text: string): boolean {
	return /\ba\s+code\s+example\b/i.test(text);
}

/** The first reasoning sentence: what the user asked. */
function introReasoning(text: string, fileCount: number): string {
	const files = fileCount > 0 ? ` and attached ${fileCount} ${plural(fileCount, 'file')}` : '';
	if (words(text).length === 0) return `The user sent no text${files}.`;
	if (wantsLongAnswer(text)) {
		return `The user asked for a long answer about ${topicOf(text)}${files}.`;
	}
	return `The user asked about "${firstWords(text, TOPIC_WORDS)}"${files}.`;
}

/** The reply to an empty message. */
const GREETING =
	"Hello! I am Parley's offline demo model. Send me a message and I will echo it back, call a tool you name, or write a long answer when you ask for one.";

/** Echoes the user's words (at most 30) and explains what this model is. */
function echoAnswer(text: string): string {
	return `You said: ${quotation(firstWords(text, ECHO_WORDS))} I am Parley's offline demo model, so I answer without calling an external AI service.`;
}

/**
 * The answer to "a code example": markdown with a fenced TypeScript block, so fences, code
 * highlighting and copying can be seen (and tested) without a real model.
 */
const CODE_EXAMPLE = [
	'Here is a code example in TypeScript:',
	'',
	'```ts',
	'/** Greets someone by name. */',
	'export function greet(name: string): string {',
	'\treturn `Hello, ${name}!`;',
	'}',
	'```',
	'',
	"I am Parley's offline demo model, so this example comes from a fixed template."
].join('\n');

/** Deterministic filler of well over 200 words about `topic`. */
function longAnswer(topic: string): string {
	return [
		`Here is a long answer about ${topic}. I am Parley's offline demo model, so everything below comes from fixed templates rather than from an external AI service. Even so, it is long enough to show how streaming, scrolling and rendering behave when a reply spans several paragraphs. Each word arrives as its own delta, which makes it easy to watch the text appear gradually in the chat window.`,
		`To begin with, it helps to think about ${topic} in terms of its main parts. A good explanation usually starts with the basic ideas, then looks at how those ideas connect, and finally considers what they mean in practice. Breaking a subject down this way makes it easier to follow and easier to remember later.`,
		`Next, consider the context in which ${topic} matters. Different people care about different details, so a useful answer explains the trade-offs instead of pretending there is a single right view. Examples make abstract points concrete, and comparisons with familiar situations help the reader judge which details are important and which can safely be ignored.`,
		`Finally, it is worth summarising what has been said. A careful look at ${topic} combines a clear structure, relevant context and honest limits. If you connect a real model by adding an API key, you will get an answer that engages with the substance of your question. Until then, this offline reply demonstrates the shape of a long answer, and it is produced in exactly the same way every time you ask.`
	].join('\n\n');
}

/** The subject of a long-answer request: the words after "about", else "your request". */
function topicOf(text: string): string {
	const about = /\babout\s+([^.?!\n]+)/i.exec(text);
	const topic = about ? firstWords(about[1], TOPIC_WORDS).replace(/[\s,;:]+$/, '') : '';
	return topic || 'your request';
}

// ---------------------------------------------------------------------------------------------
// Prompt helpers

/** The last message with role `user`, if any. */
function lastUserMessage(prompt: LanguageModelV3Prompt): UserMessage | undefined {
	return prompt.findLast((message): message is UserMessage => message.role === 'user');
}

/**
 * The text parts of a user message, joined; a document's text, or a file described in a line,
 * sent as a text part is an attachment, not the question.
 */
function userText(message: UserMessage): string {
	return message.content
		.flatMap((part) =>
			part.type === 'text' && !parseFileTextPart(part.text) && !parseFileDescriptionPart(part.text) ? [part.text] : []
		)
		.join('\n')
		.trim();
}

/** An attached file as the offline model describes it. */
interface Attachment {
	name: string;
	kind: 'image' | 'audio' | 'video' | 'document';
	/** The file's text, when it is a text file, a document sent as its extracted text or an image with the text read from it. */
	text: string | undefined;
	/** What the line that stood for the file said, when the file itself was not sent. */
	description?: FileDescription;
}

/**
 * The attachments of a user message: its file parts, documents sent as their text (`[File name]`
 * parts), and files described in a line (`[Audio file "name", …]`). The text read from an image
 * joins that image.
 */
function attachmentsOf(message: UserMessage): Attachment[] {
	const attachments: Attachment[] = [];
	for (const part of message.content) {
		if (isFilePart(part)) {
			attachments.push({
				name: attachmentName(part, attachments.length),
				kind: attachmentKind(part.mediaType),
				text: attachmentText(part)
			});
			continue;
		}
		if (part.type !== 'text') continue;
		const document = parseFileTextPart(part.text);
		const image = document?.fromImage
			? attachments.findLast((attachment) => attachment.kind === 'image' && attachment.name === document.name)
			: undefined;
		if (image && document) image.text = document.text;
		else if (document) attachments.push({ name: document.name, kind: document.fromImage ? 'image' : 'document', text: document.text });
		const description = parseFileDescriptionPart(part.text);
		if (description) attachments.push({ name: description.name, kind: description.kind, text: undefined, description });
	}
	return attachments;
}

/** Narrows a user content part to a file part. */
function isFilePart(part: UserMessage['content'][number]): part is LanguageModelV3FilePart {
	return part.type === 'file';
}

/** How many tool calls the assistant already made in this conversation. */
function countToolCalls(prompt: LanguageModelV3Prompt): number {
	let count = 0;
	for (const message of prompt) {
		if (message.role !== 'assistant') continue;
		count += message.content.filter((part) => part.type === 'tool-call').length;
	}
	return count;
}

// ---------------------------------------------------------------------------------------------
// Tools: which are named, and with which arguments

/** A tool the user named, with the arguments found for it and the required ones still missing. */
interface ToolRequest {
	tool: LanguageModelV3FunctionTool;
	input: JsonObject;
	missing: string[];
}

/** The function tools the model may call, honouring `toolChoice`. */
function availableTools(options: LanguageModelV3CallOptions): LanguageModelV3FunctionTool[] {
	const tools = (options.tools ?? []).filter(
		(tool): tool is LanguageModelV3FunctionTool => tool.type === 'function'
	);
	const choice = options.toolChoice;
	if (choice?.type === 'none') return [];
	if (choice?.type === 'tool') return tools.filter((tool) => tool.name === choice.toolName);
	return tools;
}

/**
 * The tools whose name occurs in `text`, in order of first appearance. A name matches
 * case-insensitively on word boundaries, either exactly (`current_time`) or as its words
 * separated by spaces (`current time`). Overlapping matches go to the earlier, longer name.
 */
function namedTools(
	text: string,
	tools: LanguageModelV3FunctionTool[]
): LanguageModelV3FunctionTool[] {
	const matches = tools.flatMap((tool) =>
		[...text.matchAll(toolNamePattern(tool.name))].map((match) => ({
			tool,
			start: match.index,
			end: match.index + match[0].length
		}))
	);
	matches.sort((a, b) => a.start - b.start || b.end - a.end);
	const found: LanguageModelV3FunctionTool[] = [];
	let covered = 0;
	for (const match of matches) {
		if (match.start < covered) continue;
		covered = match.end;
		if (!found.includes(match.tool)) found.push(match.tool);
	}
	return found;
}

/** Matches a tool name exactly or as space-separated words (snake_case, kebab-case, camelCase). */
function toolNamePattern(name: string): RegExp {
	const spaced = name
		.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
		.split(/[\s_.-]+/)
		.filter(Boolean)
		.map(escapeRegExp)
		.join('\\s+');
	const variants = unique([escapeRegExp(name), spaced].filter(Boolean));
	return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${variants.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

/** Tool arguments from the message: its first JSON object, else its `key=value` pairs. */
function extractArguments(text: string): JsonObject {
	return firstJsonObject(text) ?? keyValuePairs(text);
}

/** The first balanced `{…}` in `text` that parses as a JSON object. */
function firstJsonObject(text: string): JsonObject | undefined {
	let start = text.indexOf('{');
	for (let tries = 0; start !== -1 && tries < MAX_JSON_CANDIDATES; tries++) {
		const end = balancedBraceEnd(text, start);
		if (end !== -1) {
			const parsed = parseJson(text.slice(start, end + 1));
			if (isJsonObject(parsed)) return parsed;
		}
		start = text.indexOf('{', start + 1);
	}
	return undefined;
}

/** Index of the `}` closing the `{` at `start` (skipping JSON strings), or -1. */
function balancedBraceEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{') depth++;
		else if (char === '}' && --depth === 0) return i;
	}
	return -1;
}

/**
 * `key=value` pairs: the value is a double-quoted string (with `\"` escapes) or a bare word
 * (a run of non-space characters, trailing `,;:.!?` removed).
 */
function keyValuePairs(text: string): JsonObject {
	const pairs: JsonObject = {};
	const pattern = /(?<![\p{L}\p{N}_-])([\p{L}_][\p{L}\p{N}_-]*)=("(?:[^"\\]|\\.)*"|\S+)/gu;
	for (const [, key, raw] of text.matchAll(pattern)) {
		if (!Object.hasOwn(pairs, key)) pairs[key] = raw.startsWith('"') ? unquote(raw) : bareWord(raw);
	}
	return pairs;
}

/** A double-quoted string literal without its quotes and escapes. */
function unquote(quoted: string): string {
	const parsed = parseJson(quoted);
	if (typeof parsed === 'string') return parsed;
	return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** A bare word without trailing sentence punctuation. */
function bareWord(raw: string): string {
	return raw.replace(/[,;:.!?]+$/, '') || raw;
}

/** The parts of a tool's input schema the offline model reads. */
interface InputSchema {
	/** The declared properties, or `undefined` when the schema declares none. */
	properties: JsonObject | undefined;
	required: string[];
}

/**
 * Reads `properties` and `required` from a JSON Schema. (The provider types it as `JSONSchema7`,
 * whose type package is not installed, so it is validated here instead of trusted.)
 */
function readInputSchema(schema: unknown): InputSchema {
	if (!isJsonObject(schema)) return { properties: undefined, required: [] };
	const properties = isJsonObject(schema.properties) ? schema.properties : undefined;
	const required = Array.isArray(schema.required)
		? schema.required.filter((key): key is string => typeof key === 'string')
		: [];
	return { properties, required };
}

/** Picks the tool's arguments from `args`, fills defaults and examples, and lists missing required ones. */
function resolveToolInput(tool: LanguageModelV3FunctionTool, args: JsonObject): ToolRequest {
	const { properties, required } = readInputSchema(tool.inputSchema);
	const input: JsonObject = {};
	for (const [key, value] of Object.entries(args)) {
		if (properties && !Object.hasOwn(properties, key)) continue;
		input[key] = coerce(value, schemaType(properties?.[key]));
	}
	for (const [key, property] of Object.entries(properties ?? {})) {
		if (Object.hasOwn(input, key)) continue;
		const fallback = fallbackValue(property);
		if (fallback !== undefined) input[key] = fallback;
	}
	const missing = required.filter((key) => !Object.hasOwn(input, key));
	return { tool, input, missing };
}

/** A property's `default`, else the first of its `examples`. */
function fallbackValue(property: unknown): unknown {
	if (!isJsonObject(property)) return undefined;
	if (property.default !== undefined) return property.default;
	return Array.isArray(property.examples) ? property.examples[0] : undefined;
}

/** The (first non-null) type a property declares, looking into `anyOf`/`oneOf`. */
function schemaType(property: unknown): string | undefined {
	if (!isJsonObject(property)) return undefined;
	const types: unknown[] = Array.isArray(property.type) ? property.type : [property.type];
	const type = types.find(
		(candidate): candidate is string => typeof candidate === 'string' && candidate !== 'null'
	);
	if (type) return type;
	const alternatives = [property.anyOf, property.oneOf].flatMap((list) =>
		Array.isArray(list) ? list : []
	);
	return alternatives.map(schemaType).find((candidate) => candidate !== undefined);
}

/** Converts a string (or scalar) argument to the type the schema asks for, when it can. */
function coerce(value: unknown, type: string | undefined): unknown {
	if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
		return String(value);
	}
	if (typeof value !== 'string') return value;
	switch (type) {
		case 'number':
		case 'integer': {
			const number = Number(value);
			const valid = value.trim() !== '' && Number.isFinite(number);
			return valid && (type === 'number' || Number.isInteger(number)) ? number : value;
		}
		case 'boolean':
			if (/^(true|yes|on|1)$/i.test(value)) return true;
			if (/^(false|no|off|0)$/i.test(value)) return false;
			return value;
		case 'array':
		case 'object': {
			const parsed = parseJson(value);
			const matches = type === 'array' ? Array.isArray(parsed) : isJsonObject(parsed);
			return matches ? parsed : value;
		}
		default:
			return value;
	}
}

/** Asks for the required arguments a named tool is missing. */
function missingArgumentsRequest(toolName: string, missing: string[]): string {
	const one = missing.length === 1;
	const example = missing.map((key) => `${key}="…"`).join(' ');
	return `To use the ${toolName} tool I need ${quoteNames(missing)}. Please provide ${one ? 'it' : 'them'}, for example: ${toolName} ${example}`;
}

/** `the "a" argument` / `the "a" and "b" arguments`. */
function quoteNames(keys: string[]): string {
	return `the ${joinNames(keys.map((key) => `"${key}"`))} ${plural(keys.length, 'argument')}`;
}

// ---------------------------------------------------------------------------------------------
// Tool results

/** One sentence quoting a tool result. */
function describeToolResult(result: LanguageModelV3ToolResultPart): string {
	const tool = `The ${result.toolName} tool`;
	const output = result.output;
	switch (output.type) {
		case 'text':
		case 'json':
		case 'content':
			return sentence(`${tool} returned: ${limitWords(outputText(output), TOOL_RESULT_WORDS)}`);
		case 'error-text':
		case 'error-json':
			return sentence(`${tool} failed: ${limitWords(outputText(output), TOOL_RESULT_WORDS)}`);
		case 'execution-denied':
			return output.reason
				? `${tool} was not run: the call was denied (${output.reason}).`
				: `${tool} was not run: the call was denied.`;
	}
}

/** The text of a tool output: text as is, JSON stringified, content parts joined. */
function outputText(output: LanguageModelV3ToolResultOutput): string {
	switch (output.type) {
		case 'text':
		case 'error-text':
			return output.value;
		case 'json':
		case 'error-json':
			return typeof output.value === 'string' ? output.value : JSON.stringify(output.value);
		case 'execution-denied':
			return output.reason ?? 'denied';
		case 'content':
			return output.value
				.map((item) => (item.type === 'text' ? item.text : `[${item.type}]`))
				.join(' ');
	}
}

// ---------------------------------------------------------------------------------------------
// Attachments

/** `I received 2 attachments: a.png (image), b.txt (document).` plus the start of text files. */
function describeAttachments(files: Attachment[]): string {
	const list = files.map((file) => `${file.name} (${file.kind})`);
	const sentences = [
		`I received ${files.length} ${plural(files.length, 'attachment')}: ${list.join(', ')}.`
	];
	for (const file of files) {
		if (file.text !== undefined && words(file.text).length > 0) {
			sentences.push(`${file.name} begins: ${quotation(firstWords(file.text, ATTACHMENT_QUOTE_WORDS))}`);
		}
		if (file.description) sentences.push(describeUnsentFile(file.description));
	}
	return sentences.join(' ');
}

/** What the offline model says about a file it was only told about: `I received an audio file named memo.mp3 (audio/mpeg, 1.2 MB), but I cannot listen to audio.` */
function describeUnsentFile(file: FileDescription): string {
	const details = `${file.name} (${file.mediaType}, ${file.size})`;
	switch (file.kind) {
		case 'audio':
			return `I received an audio file named ${details}, but I cannot listen to audio.`;
		case 'video':
			return `I received a video file named ${details}, but I cannot watch video.`;
		default:
			return sentence(`I could not open ${details}: ${file.note}`);
	}
}

/** The file name, else the last segment of its URL, else `attachment <n>`. */
function attachmentName(file: LanguageModelV3FilePart, index: number): string {
	if (file.filename) return file.filename;
	if (file.data instanceof URL) {
		const segment = file.data.pathname.split('/').filter(Boolean).at(-1);
		if (segment) return decodeURIComponentSafe(segment);
	}
	return `attachment ${index + 1}`;
}

/** image / audio / video from the media type; everything else is a document. */
function attachmentKind(mediaType: string): 'image' | 'audio' | 'video' | 'document' {
	const type = mediaType.toLowerCase().split('/')[0];
	return type === 'image' || type === 'audio' || type === 'video' ? type : 'document';
}

/**
 * The content of a `text/*` file, if available: bytes are decoded as UTF-8; a string is
 * decoded as base64 when it is valid base64 of UTF-8 text, else taken as the text itself.
 */
function attachmentText(file: LanguageModelV3FilePart): string | undefined {
	if (!file.mediaType.toLowerCase().startsWith('text/')) return undefined;
	if (file.data instanceof Uint8Array) return new TextDecoder().decode(file.data);
	if (typeof file.data === 'string') return decodeBase64Text(file.data) ?? file.data;
	return undefined;
}

/** Decodes base64 to UTF-8 text, or `undefined` when `data` is not base64 of valid UTF-8. */
function decodeBase64Text(data: string): string | undefined {
	const compact = data.replace(/\s+/g, '');
	if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
		return undefined;
	}
	try {
		const bytes = Uint8Array.from(atob(compact), (char) => char.charCodeAt(0));
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// Output: content, stream parts, usage

/** The plan as `doGenerate` content. */
function planContent(plan: Plan): LanguageModelV3Content[] {
	const content: LanguageModelV3Content[] = [{ type: 'reasoning', text: plan.reasoning }];
	if (plan.text) content.push({ type: 'text', text: plan.text });
	for (const call of plan.toolCalls) content.push({ type: 'tool-call', ...call });
	return content;
}

/** The plan as stream parts: reasoning, then text, then tool calls, one word per delta. */
function planStreamParts(plan: Plan): LanguageModelV3StreamPart[] {
	const parts: LanguageModelV3StreamPart[] = [
		{ type: 'reasoning-start', id: 'reasoning-0' },
		...wordDeltas(plan.reasoning).map(
			(delta): LanguageModelV3StreamPart => ({ type: 'reasoning-delta', id: 'reasoning-0', delta })
		),
		{ type: 'reasoning-end', id: 'reasoning-0' }
	];
	if (plan.text) {
		parts.push(
			{ type: 'text-start', id: 'text-0' },
			...wordDeltas(plan.text).map(
				(delta): LanguageModelV3StreamPart => ({ type: 'text-delta', id: 'text-0', delta })
			),
			{ type: 'text-end', id: 'text-0' }
		);
	}
	for (const call of plan.toolCalls) {
		parts.push(
			{ type: 'tool-input-start', id: call.toolCallId, toolName: call.toolName },
			{ type: 'tool-input-delta', id: call.toolCallId, delta: call.input },
			{ type: 'tool-input-end', id: call.toolCallId },
			{ type: 'tool-call', ...call }
		);
	}
	return parts;
}

/** `tool-calls` when the plan calls a tool, else `stop`. */
function finishReasonOf(plan: Plan): LanguageModelV3FinishReason {
	return { unified: plan.toolCalls.length > 0 ? 'tool-calls' : 'stop', raw: undefined };
}

/** Deterministic usage: one token per whitespace-separated word. */
function usageOf(prompt: LanguageModelV3Prompt, plan: Plan): LanguageModelV3Usage {
	const input = prompt.reduce((sum, message) => sum + words(messageText(message)).length, 0);
	const text = words(plan.text).length;
	const reasoning = words(plan.reasoning).length;
	const toolInput = plan.toolCalls.reduce((sum, call) => sum + words(call.input).length, 0);
	return {
		inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
		outputTokens: { total: text + reasoning + toolInput, text, reasoning }
	};
}

/** All text of a message, for counting input tokens. */
function messageText(message: LanguageModelV3Message): string {
	if (message.role === 'system') return message.content;
	return message.content
		.map((part) => {
			switch (part.type) {
				case 'text':
				case 'reasoning':
					return part.text;
				case 'tool-call':
					return typeof part.input === 'string' ? part.input : JSON.stringify(part.input);
				case 'tool-result':
					return outputText(part.output);
				default:
					return '';
			}
		})
		.join(' ');
}

/** Response metadata; the id is a hash of the prompt, so it is deterministic too. */
function responseMetadata(prompt: LanguageModelV3Prompt, modelId: string) {
	return { id: `offline-${hashPrompt(prompt)}`, modelId, timestamp: new Date() };
}

/** FNV-1a hash (hex) of the prompt's JSON, with binary data reduced to its length. */
function hashPrompt(prompt: LanguageModelV3Prompt): string {
	const json = JSON.stringify(prompt, (_key, value: unknown) =>
		value instanceof Uint8Array ? `bytes:${value.length}` : value
	);
	let hash = 0x811c9dc5;
	for (let i = 0; i < json.length; i++) {
		hash ^= json.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------------------------
// Streaming

/**
 * A pull-based stream of `parts`. Every text or reasoning delta after the first waits `delayMs`;
 * with no delay it still yields to the event loop every few parts. When `signal` aborts, the
 * stream errors with an `AbortError` at once, even in the middle of a pause.
 */
function streamParts(
	parts: LanguageModelV3StreamPart[],
	delayMs: number,
	signal: AbortSignal | undefined
): ReadableStream<LanguageModelV3StreamPart> {
	const stop = new AbortController();
	const onAbort = () => stop.abort(signal?.reason);
	signal?.addEventListener('abort', onAbort, { once: true });
	const release = () => signal?.removeEventListener('abort', onAbort);
	let index = 0;
	let deltas = 0;
	let cancelled = false;

	return new ReadableStream<LanguageModelV3StreamPart>(
		{
			async pull(controller) {
				try {
					throwIfAborted(stop.signal);
					const part = parts[index++];
					if (part === undefined) {
						release();
						controller.close();
						return;
					}
					const isDelta = part.type === 'text-delta' || part.type === 'reasoning-delta';
					if (isDelta && deltas++ > 0 && delayMs > 0) await pause(delayMs, stop.signal);
					else if (index % PARTS_PER_YIELD === 0) await yieldToEventLoop();
					throwIfAborted(stop.signal);
					controller.enqueue(part);
				} catch (error) {
					release();
					if (!cancelled) controller.error(error);
				}
			},
			cancel() {
				cancelled = true;
				release();
				stop.abort();
			}
		},
		{ highWaterMark: 0 }
	);
}

/** Waits `ms`, rejecting with an `AbortError` as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(abortError(signal.reason));
		const onAbort = () => {
			clearTimeout(timer);
			reject(abortError(signal.reason));
		};
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** Lets timers and I/O run between parts of a large zero-delay stream. */
function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) =>
		typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)
	);
}

/** Throws an `AbortError` if `signal` has aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw abortError(signal.reason);
}

/** The abort reason when it is an abort/timeout error, else an `AbortError` carrying its message. */
function abortError(reason: unknown): Error {
	if (reason instanceof Error && (reason.name === 'AbortError' || reason.name === 'TimeoutError')) {
		return reason;
	}
	const message = reason === undefined ? 'The operation was aborted.' : String(reason);
	return new DOMException(message, 'AbortError');
}

// ---------------------------------------------------------------------------------------------
// Small text helpers

/** The words of `text` (runs of non-space characters). */
function words(text: string): string[] {
	return text.match(/\S+/g) ?? [];
}

/** Splits text into stream deltas: each word with the whitespace that follows it. */
function wordDeltas(text: string): string[] {
	return text.match(/\S+\s*/g) ?? [];
}

/** The first `count` words joined by single spaces, with `…` when some were left out. */
function firstWords(text: string, count: number): string {
	const all = words(text);
	if (all.length <= count) return all.join(' ');
	return `${all.slice(0, count).join(' ').replace(/[,;:]+$/, '')}…`;
}

/** Like {@link firstWords}, but keeps the original spacing when nothing is cut. */
function limitWords(text: string, count: number): string {
	return words(text).length > count ? firstWords(text, count) : text.trim();
}

/** `"text".`, or `"text."` without the extra full stop when the quote already ends a sentence. */
function quotation(text: string): string {
	return /[.!?…]$/.test(text) ? `"${text}"` : `"${text}".`;
}

/** Ends `text` with a full stop unless it already ends with `.`, `!` or `?`. */
function sentence(text: string): string {
	return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** `a`, `a and b`, `a, b and c`. */
function joinNames(names: string[]): string {
	if (names.length <= 1) return names.join('');
	return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** `word` or `words`. */
function plural(count: number, word: string): string {
	return count === 1 ? word : `${word}s`;
}

/** The distinct values, in first-seen order. */
function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}

/** `JSON.parse`, or `undefined` when the text is not JSON. */
function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** True for a plain JSON object (not an array or null). */
function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes a string for use inside a regular expression. */
function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `decodeURIComponent` that keeps the input when it is malformed. */
function decodeURIComponentSafe(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
