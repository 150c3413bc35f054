import { firstWords, plural, quotation, words } from './text';

/** The offline model's answers when no tool is involved: a greeting, a long answer, a code example or an echo. */

const ECHO_WORDS = 30;
const TOPIC_WORDS = 8;

/** Whether a message asks something a search could answer (not a greeting, not a request for a sample). */
export function asksQuestion(text: string): boolean {
	if (words(text).length === 0 || wantsLongAnswer(text) || wantsCodeExample(text)) return false;
	return !/^\s*(hi|hello|hey|thanks?|thank you|good (morning|afternoon|evening))\b[\s!.,]*$/i.test(text);
}

/** The answer when no tool is involved: a greeting, a long answer or an echo. */
export function plainReply(text: string, fileCount: number): { reasoning: string; text: string } {
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
export function introReasoning(text: string, fileCount: number): string {
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
