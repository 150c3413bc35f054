import { parseModelId } from './catalog';

/**
 * Which files a model reads as they are, through the AI SDK provider Parley calls it with. What
 * it does not accept is sent another way: a document as its extracted text, an image as the
 * text read from it, and anything else as a line naming the file (see `withFileData`).
 * Conservative on purpose: a file sent to a model that refuses it fails the whole answer.
 */
export interface ModelFileInputs {
	/** Image media types the model sees (`image/*` for any). */
	images: readonly string[];
	/** Whether it reads PDFs as files (pages as text and images). */
	pdf: boolean;
	/** The most pages of a PDF it takes in one file. */
	maxPdfPages: number;
	/** Audio media types it listens to. */
	audio: readonly string[];
	/** Video media types it watches. */
	video: readonly string[];
	/** The largest file sent to it as bytes; larger ones go as text or a description. */
	maxFileBytes: number;
}

const MB = 1024 * 1024;

/** The image formats every hosted provider takes. */
const COMMON_IMAGES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** Gemini's audio formats (Google AI for Developers, "Audio understanding"). */
const GEMINI_AUDIO = [
	'audio/wav',
	'audio/x-wav',
	'audio/mpeg',
	'audio/aiff',
	'audio/x-aiff',
	'audio/aac',
	'audio/ogg',
	'audio/flac',
	'audio/x-flac'
];

/** Gemini's video formats ("Video understanding"). */
const GEMINI_VIDEO = [
	'video/mp4',
	'video/mpeg',
	'video/quicktime',
	'video/x-msvideo',
	'video/x-flv',
	'video/webm',
	'video/x-ms-wmv',
	'video/3gpp'
];

/** A model that takes images only (and then only the common formats). */
const IMAGES_ONLY: ModelFileInputs = { images: COMMON_IMAGES, pdf: false, maxPdfPages: 0, audio: [], video: [], maxFileBytes: 20 * MB };

/**
 * OpenAI models that read PDFs through the Responses API: those that see images — the GPT-4o,
 * GPT-4.1 and GPT-5 families, o1, o3 and o4-mini (not o1-mini or o3-mini), without their audio,
 * realtime, speech and search variants.
 */
const OPENAI_PDF_MODELS = /^(gpt-4o|gpt-4\.1|gpt-5|o1(?!-mini)|o3(?!-mini)|o4-mini)(?!.*(audio|realtime|transcribe|tts|search))/;

/** Claude models that read PDFs: 3.5 and later (Claude 3 Haiku, Sonnet and Opus do not). */
const CLAUDE_PDF_MODELS = /^claude-(3-[5-9]|(opus|sonnet|haiku)-[4-9]|[4-9])/;

/**
 * The files a model reads as they are, by provider and model name:
 * - the offline model takes any image (it only names it) and nothing else: documents reach it
 *   as their text, audio and video as a line naming them, which it answers to;
 * - OpenAI (Responses API): images, and PDFs on the models above, up to 100 pages; no audio or
 *   video (the Responses API takes neither);
 * - Anthropic: images, and PDFs from Claude 3.5 on, up to 100 pages;
 * - Google Gemini: images, PDFs (up to 1,000 pages), audio and video; bytes are sent inline,
 *   so files stay under 15 MB (a request is capped at 20 MB, base64 included);
 * - OpenAI-compatible servers: images (what a server's model makes of them is up to it).
 */
export function modelFileInputs(modelId: string): ModelFileInputs {
	const { provider, model } = parseModelId(modelId);
	switch (provider) {
		case 'mock':
			return { ...IMAGES_ONLY, images: ['image/*'] };
		case 'openai':
			return OPENAI_PDF_MODELS.test(model) ? { ...IMAGES_ONLY, pdf: true, maxPdfPages: 100 } : IMAGES_ONLY;
		case 'anthropic':
			return CLAUDE_PDF_MODELS.test(model) ? { ...IMAGES_ONLY, pdf: true, maxPdfPages: 100 } : IMAGES_ONLY;
		case 'google':
			if (!/^gemini-/.test(model)) return IMAGES_ONLY;
			return {
				images: [...COMMON_IMAGES, 'image/heic', 'image/heif'],
				pdf: true,
				maxPdfPages: 1000,
				audio: GEMINI_AUDIO,
				video: GEMINI_VIDEO,
				maxFileBytes: 15 * MB
			};
		default:
			return IMAGES_ONLY;
	}
}

/** Whether a list of media types (which may hold `type/*`) includes one. */
function listed(types: readonly string[], mediaType: string): boolean {
	return types.includes(mediaType) || types.includes(`${mediaType.split('/')[0]}/*`);
}

/** Whether a model sees images of this media type. */
export function seesImage(inputs: ModelFileInputs, mediaType: string): boolean {
	return listed(inputs.images, mediaType);
}

/** Whether a model listens to audio or watches video of this media type (whatever the size). */
export function takesMediaType(inputs: ModelFileInputs, mediaType: string): boolean {
	return listed(inputs.audio, mediaType) || listed(inputs.video, mediaType);
}

/** Whether a model takes an audio or video file of this type and size as it is. */
export function takesMedia(inputs: ModelFileInputs, mediaType: string, size: number): boolean {
	return size <= inputs.maxFileBytes && takesMediaType(inputs, mediaType);
}
