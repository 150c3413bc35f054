import { describe, expect, it } from 'vitest';
import { acceptsEventStream, formToObject, parseForm, teamMessageFormSchema, teamTaskCreateFormSchema } from './request';

function form(fields: [string, string | File][]): FormData {
	const data = new FormData();
	for (const [name, value] of fields) data.append(name, value);
	return data;
}

/** The AppError a parse throws, as `{ code, field, message }`. */
function failure(run: () => unknown) {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('Expected the parse to fail');
}

const base: [string, string][] = [
	['id_team_agent', 'tool-demo'],
	['id_team', 'team-1'],
	['text', 'Hello']
];

describe('teamMessageFormSchema', () => {
	it('reads the fields, files by kind, and the context as a JSON object', () => {
		const image = new File([new Uint8Array([1, 2])], 'a.png', { type: 'image/png' });
		const parsed = parseForm(
			form([...base, ['id_task', ''], ['context', '{"plan":"pro"}'], ['images', image], ['documents', new File(['x'], 'x.txt')]]),
			teamMessageFormSchema
		);
		expect(parsed).toMatchObject({
			id_team_agent: 'tool-demo',
			id_team: 'team-1',
			id_task: undefined,
			text: 'Hello',
			context: { plan: 'pro' },
			videos: [],
			audios: []
		});
		expect(parsed.images.map((file) => file.name)).toEqual(['a.png']);
		expect(parsed.documents.map((file) => file.name)).toEqual(['x.txt']);
	});

	it('names the missing or bad field', () => {
		expect(failure(() => parseForm(form(base.slice(1)), teamMessageFormSchema))).toMatchObject({
			code: 'invalid_input',
			field: 'id_team_agent',
			message: 'id_team_agent is required.'
		});
		expect(failure(() => parseForm(form([...base, ['context', '{not json']]), teamMessageFormSchema))).toMatchObject({
			code: 'invalid_input',
			field: 'context',
			message: 'context is not valid JSON.'
		});
		expect(failure(() => parseForm(form([...base, ['context', '[1,2]']]), teamMessageFormSchema))).toMatchObject({
			field: 'context',
			message: 'context must be a JSON object.'
		});
		expect(failure(() => parseForm(form([...base, ['images', 'not a file']]), teamMessageFormSchema))).toMatchObject({
			field: 'images'
		});
		expect(
			failure(() =>
				parseForm(
					form([
						['id_team_agent', 'a'],
						['id_team', 't'],
						['text', '  ']
					]),
					teamMessageFormSchema
				)
			)
		).toMatchObject({ field: 'text' });
	});

	it('accepts files without text', () => {
		const parsed = parseForm(
			form([
				['id_team_agent', 'a'],
				['id_team', 't'],
				['text', ''],
				['audios', new File(['x'], 'a.mp3')]
			]),
			teamMessageFormSchema
		);
		expect(parsed.audios).toHaveLength(1);
	});
});

describe('teamTaskCreateFormSchema', () => {
	it('needs a team and a non-empty text', () => {
		expect(
			parseForm(
				form([
					['id_team', 't'],
					['text', 'Plan the week']
				]),
				teamTaskCreateFormSchema
			)
		).toMatchObject({
			id_team: 't',
			text: 'Plan the week'
		});
		expect(
			failure(() =>
				parseForm(
					form([
						['id_team', 't'],
						['text', ' ']
					]),
					teamTaskCreateFormSchema
				)
			)
		).toMatchObject({
			field: 'text'
		});
	});
});

describe('formToObject', () => {
	it('leaves out the empty file a browser sends for an untouched file input', () => {
		expect(formToObject(form([['images', new File([], '')]]))).toEqual({ images: [] });
	});
});

describe('acceptsEventStream', () => {
	it.each([
		['text/event-stream', true],
		['application/json, text/event-stream;q=0.9', true],
		['TEXT/EVENT-STREAM', true],
		['text/event-stream;q=0', false],
		['*/*', false],
		['application/json', false],
		[null, false]
	])('%s → %s', (accept, expected) => {
		expect(acceptsEventStream(accept)).toBe(expected);
	});
});
