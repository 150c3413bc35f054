import type { LanguageModelV3FilePart } from '@ai-sdk/provider';
import { parseFileDescriptionPart, parseFileTextPart, type FileDescription } from '../../files/file-text-part';
import type { UserMessage } from './read-prompt';
import { decodeURIComponentSafe, firstWords, plural, quotation, sentence, words } from './text';

/** How the offline model reacts to attachments: which files a message carries, and what it says about them. */

const ATTACHMENT_QUOTE_WORDS = 12;

/** An attached file as the offline model describes it. */
export interface Attachment {
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
export function attachmentsOf(message: UserMessage): Attachment[] {
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

/** `I received 2 attachments: a.png (image), b.txt (document).` plus the start of text files. */
export function describeAttachments(files: Attachment[]): string {
	const list = files.map((file) => `${file.name} (${file.kind})`);
	const sentences = [`I received ${files.length} ${plural(files.length, 'attachment')}: ${list.join(', ')}.`];
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
