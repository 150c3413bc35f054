import { describe, expect, it } from 'vitest';
import { errorMessageOf, isUnfinished } from './knowledge-api';

describe('knowledge requests', () => {
	it('shows the server’s message, else one for the status', () => {
		const body = {
			error: { code: 'unsupported_media_type', message: '"photo.zip" is application/zip; a catalogue must be a CSV or JSON file.' }
		};
		expect(errorMessageOf(415, body)).toBe(body.error.message);
		expect(errorMessageOf(413, 'Payload Too Large')).toBe('The file is larger than the server accepts.');
		expect(errorMessageOf(422, undefined)).toBe('The file could not be read.');
		expect(errorMessageOf(500, { error: 'boom' })).toBe('The request failed (500). Please try again.');
	});

	it('counts waiting and indexing sources as unfinished', () => {
		expect(isUnfinished({ status: 'pending' })).toBe(true);
		expect(isUnfinished({ status: 'indexing' })).toBe(true);
		expect(isUnfinished({ status: 'ready' })).toBe(false);
		expect(isUnfinished({ status: 'failed' })).toBe(false);
	});
});
