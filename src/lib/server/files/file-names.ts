/**
 * Names of uploaded files: cleaned before they are stored, and sent back in `content-disposition`.
 */

/** The longest file name kept, in characters. */
const MAX_NAME_LENGTH = 255;

/**
 * A file name safe to store and show: the last segment of any path, without control or bidi
 * characters, trimmed, at most 255 characters (keeping the extension), `file` when nothing is left.
 */
export function sanitizeFileName(name: string | null | undefined): string {
	const base = (name ?? '').split(/[/\\]/).at(-1) ?? '';
	const cleaned = base
		// C0 and C1 controls, and the characters that reorder text (spoofed extensions).
		.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	if (cleaned === '' || /^\.+$/.test(cleaned)) return 'file';
	const characters = [...cleaned];
	if (characters.length <= MAX_NAME_LENGTH) return cleaned;
	const dot = cleaned.lastIndexOf('.');
	const extension = dot > 0 ? [...cleaned.slice(dot)] : [];
	if (extension.length > 0 && extension.length <= 16) {
		return characters.slice(0, MAX_NAME_LENGTH - extension.length).join('') + extension.join('');
	}
	return characters.slice(0, MAX_NAME_LENGTH).join('');
}

/** A `content-disposition` value for downloading a file under its name (RFC 6266, with an ASCII fallback). */
export function contentDisposition(name: string, type: 'attachment' | 'inline' = 'attachment'): string {
	const safe = sanitizeFileName(name);
	const fallback = safe.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
	const encoded = encodeURIComponent(safe).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
	return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
