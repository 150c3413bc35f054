import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { extractionErrorMessage } from './extraction-error';
import { ExtractionLimitError } from './extraction-limits';
import { ExtractionMemoryError, ExtractionTimeoutError, ExtractionWorkerExitError } from './run-extraction-worker';

const named = (name: string, message = 'internal detail at offset 1234') => Object.assign(new Error(message), { name });

describe('extractionErrorMessage', () => {
	it('says why in words fit for the file’s owner, never the parser’s own message', () => {
		const cases: [string, unknown, string][] = [
			['application/pdf', named('PasswordException'), 'This PDF is protected by a password.'],
			['application/pdf', named('InvalidPDFException'), 'This PDF could not be read: it may be damaged, or not what its type says.'],
			[
				'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
				new Error('zip: end of central directory not found'),
				'This Word document could not be read: it may be damaged, or not what its type says.'
			],
			['image/png', new Error('Error in pixReadStream'), 'This image could not be decoded: it may be damaged.'],
			['text/plain', new ExtractionTimeoutError(120_000), 'Reading its text took longer than 120 seconds, so it was stopped.'],
			[
				'application/pdf',
				new ExtractionWorkerExitError('exit code 1'),
				'The reader stopped before it finished: the file may be too large or too complex.'
			],
			['text/csv', new AppError('not_found', 'gone'), 'Its content is no longer stored.'],
			[
				'application/json',
				new ExtractionMemoryError(512, 'signal SIGABRT'),
				'This file needs more memory to read than this server allows (512 MB).'
			],
			// A limit's own message, also as re-created by name from the worker's answer.
			[
				'application/pdf',
				new ExtractionLimitError('This PDF has 9 pages, more than the 2 this server reads.'),
				'This PDF has 9 pages, more than the 2 this server reads.'
			],
			[
				'application/pdf',
				named('ExtractionLimitError', 'This PDF has 9 pages, more than the 2 this server reads.'),
				'This PDF has 9 pages, more than the 2 this server reads.'
			]
		];
		for (const [mediaType, error, message] of cases) {
			expect(extractionErrorMessage(mediaType, error)).toBe(message);
			expect(message).not.toContain('1234');
		}
	});
});
