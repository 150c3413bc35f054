import { describe, expect, it } from 'vitest';
import { fileDescriptionPart, fileTextPart, parseFileDescriptionPart, parseFileTextPart } from './file-text-part';

describe('fileTextPart', () => {
	it('heads a document’s text with its name, and says when the text was read from an image', () => {
		const document = fileTextPart('report.pdf', 'Revenue grew.');
		expect(document).toEqual({ type: 'text', text: '[File report.pdf]\nRevenue grew.' });
		expect(parseFileTextPart(document.text)).toEqual({ name: 'report.pdf', text: 'Revenue grew.', fromImage: false });
		const image = fileTextPart('sign (1).png', 'OPEN', { fromImage: true });
		expect(image.text).toBe('[File sign (1).png (text read from the image)]\nOPEN');
		expect(parseFileTextPart(image.text)).toEqual({ name: 'sign (1).png', text: 'OPEN', fromImage: true });
		expect(fileTextPart('a]b\n"c".txt', 'x').text).toBe('[File a_b__c_.txt]\nx');
		expect(parseFileTextPart('[File x] not a header')).toBeUndefined();
	});
});

describe('fileDescriptionPart', () => {
	it('describes a file in one line that reads back', () => {
		const part = fileDescriptionPart(
			{ kind: 'audio', name: 'memo "final".mp3', mediaType: 'audio/mpeg', size: 1.2 * 1024 * 1024 },
			'this model cannot listen to audio'
		);
		expect(part).toEqual({ type: 'text', text: '[Audio file "memo _final_.mp3", audio/mpeg, 1.2 MB — this model cannot listen to audio]' });
		expect(parseFileDescriptionPart(part.text)).toEqual({
			kind: 'audio',
			name: 'memo _final_.mp3',
			mediaType: 'audio/mpeg',
			size: '1.2 MB',
			note: 'this model cannot listen to audio'
		});
		const failed = fileDescriptionPart(
			{ kind: 'document', name: 'scan.pdf', mediaType: 'application/pdf', size: 300 },
			'its text could not be read: This PDF is protected by a password.'
		);
		expect(failed.text).toBe('[File "scan.pdf", application/pdf, 1 KB — its text could not be read: This PDF is protected by a password]');
		expect(parseFileDescriptionPart(failed.text)?.kind).toBe('document');
		expect(parseFileDescriptionPart('[Audio file "x.mp3" and some words]')).toBeUndefined();
	});
});
