import { describe, expect, it } from 'vitest';
import { teamTaskCreateFormSchema, parseForm } from '../protocols/team-tasks/request';
import { parseClientFrame } from '../protocols/websocket/frames';
import { JsonInputError, jsonNestsDeeperThan, parseJsonWithin } from './json-depth';

/** Arrays nested `levels` deep around a number. */
const nested = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);

/** What a call throws. */
function thrown(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('Expected a throw');
}

describe('jsonNestsDeeperThan', () => {
	it('counts arrays and objects, one level each', () => {
		expect(jsonNestsDeeperThan('1', 0)).toBe(false);
		expect(jsonNestsDeeperThan('{}', 0)).toBe(true);
		expect(jsonNestsDeeperThan('{"a":[{"b":[]}]}', 4)).toBe(false);
		expect(jsonNestsDeeperThan('{"a":[{"b":[]}]}', 3)).toBe(true);
		expect(jsonNestsDeeperThan('[[],[],[[]]]', 3)).toBe(false);
		expect(jsonNestsDeeperThan('[[],[],[[]]]', 2)).toBe(true);
	});

	it('ignores brackets inside strings, escaped quotes included', () => {
		expect(jsonNestsDeeperThan('{"a":"[[[[{{{{"}', 1)).toBe(false);
		expect(jsonNestsDeeperThan('["\\"[[[", "\\\\", "{{"]', 1)).toBe(false);
		expect(jsonNestsDeeperThan('["\\\\"] [[[', 1)).toBe(true);
	});

	it('scans a million levels without overflowing the stack', () => {
		expect(jsonNestsDeeperThan(nested(1_000_000), 64)).toBe(true);
		expect(jsonNestsDeeperThan(nested(64), 64)).toBe(false);
	});
});

describe('parseJsonWithin', () => {
	it('parses JSON up to the depth limit', () => {
		expect(parseJsonWithin('{"a":[1,{"b":null}]}', { depth: 3 })).toEqual({ a: [1, { b: null }] });
		expect(parseJsonWithin(nested(64))).toBeDefined();
	});

	it('refuses JSON nested deeper than JSON_DEPTH_LIMIT (64 by default) with a 400 naming the limit', () => {
		const error = thrown(() => parseJsonWithin(nested(65)));
		expect(error).toBeInstanceOf(JsonInputError);
		expect(error).toMatchObject({
			code: 'invalid_input',
			status: 400,
			reason: 'depth',
			field: 'body',
			message: 'The request body nests arrays and objects deeper than the limit of 64 levels.'
		});
		expect(thrown(() => parseJsonWithin(nested(100_000), { depth: 5, field: 'context', subject: 'context' }))).toMatchObject({
			field: 'context',
			detail: 'nests arrays and objects deeper than the limit of 5 levels'
		});
	});

	it('refuses text that is not JSON with a 400', () => {
		expect(thrown(() => parseJsonWithin('{"a":'))).toMatchObject({
			code: 'invalid_input',
			reason: 'syntax',
			field: 'body',
			message: 'The request body is not valid JSON.'
		});
		expect(thrown(() => parseJsonWithin(''))).toMatchObject({ reason: 'syntax' });
	});
});

describe('every parser of client JSON keeps to the depth limit', () => {
	it('a WebSocket frame nested too deep is invalid input; one that is not JSON stays unsupported', () => {
		const deep = `{"type":"message","message":"Hi","extra":${nested(10_000)}}`;
		expect(thrown(() => parseClientFrame(deep))).toMatchObject({ code: 'invalid_input', reason: 'depth' });
		expect(thrown(() => parseClientFrame('{"type":'))).toMatchObject({ code: 'unsupported_media_type' });
	});

	it('a team task’s context form field nested too deep is refused on `context`', () => {
		const form = new FormData();
		form.append('id_team', 'team-1');
		form.append('text', 'Hello');
		form.append('context', `{"a":${nested(10_000)}}`);
		expect(thrown(() => parseForm(form, teamTaskCreateFormSchema))).toMatchObject({
			code: 'invalid_input',
			field: 'context',
			message: 'context nests arrays and objects deeper than the limit of 64 levels.'
		});
	});
});
