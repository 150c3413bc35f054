import { describe, expect, it } from 'vitest';
import { parseMcpClientArgs, UsageError } from './mcp-client';

const URL = 'https://mcp.example.com/mcp';

/** The usage error's message for a command line. */
function usageError(args: string[]): string {
	try {
		parseMcpClientArgs(args);
	} catch (error) {
		expect(error).toBeInstanceOf(UsageError);
		return (error as Error).message;
	}
	throw new Error(`${args.join(' ')} was accepted`);
}

describe('parseMcpClientArgs', () => {
	it('reads the URL, headers, hosts and a call with JSON arguments', () => {
		expect(
			parseMcpClientArgs([URL, '--header', 'X-Team: blue', '--allow-host', 'localhost', '--call', 'add', '--args', '{"a":1,"b":2}'])
		).toEqual({ url: URL, headers: { 'X-Team': 'blue' }, allowHosts: ['localhost'], call: 'add', args: { a: 1, b: 2 } });
		// The URL may come last, as the conformance suite appends it.
		expect(parseMcpClientArgs(['--allow-host', 'localhost', URL])).toEqual({ url: URL, headers: {}, allowHosts: ['localhost'], args: {} });
	});

	it('reads the sign-in options, with defaults', () => {
		expect(parseMcpClientArgs([URL, '--oauth']).oauth).toEqual({ port: 0, autoApprove: false, timeoutMs: 300_000 });
		expect(
			parseMcpClientArgs([
				URL,
				'--oauth',
				'--client-id',
				'cli',
				'--client-secret',
				's3cret',
				'--scope',
				'read write',
				'--client-metadata-url',
				'https://example.com/parley-cli.json',
				'--oauth-port',
				'8765',
				'--oauth-timeout',
				'60',
				'--oauth-auto-approve'
			]).oauth
		).toEqual({
			clientId: 'cli',
			clientSecret: 's3cret',
			scope: 'read write',
			clientMetadataUrl: 'https://example.com/parley-cli.json',
			port: 8765,
			timeoutMs: 60_000,
			autoApprove: true
		});
	});

	it('names the problem with bad options', () => {
		expect(usageError([])).toContain('mcp-client needs one URL');
		expect(usageError([URL, URL])).toContain('mcp-client needs one URL');
		expect(usageError([URL, '--bogus'])).toContain("Unknown option '--bogus'");
		expect(usageError([URL, '--header', 'no colon'])).toBe('--header "no colon" must look like "Name: value".');
		expect(usageError([URL, '--call', 'echo', '--args', 'not json'])).toContain('--args must be JSON');
		expect(usageError([URL, '--call', 'echo', '--args', '[1]'])).toBe('--args must be a JSON object.');
		expect(usageError([URL, '--args', '{}'])).toBe('--args needs --call NAME.');
		expect(usageError([URL, '--client-id', 'cli'])).toBe('--client-id needs --oauth.');
		expect(usageError([URL, '--oauth-auto-approve'])).toBe('--oauth-auto-approve needs --oauth.');
		expect(usageError([URL, '--oauth', '--client-secret', 's'])).toBe('--client-secret needs --client-id.');
		expect(usageError([URL, '--oauth', '--header', 'Authorization: Bearer x'])).toContain('leave out the Authorization header');
		expect(usageError([URL, '--oauth', '--oauth-port', '70000'])).toBe('--oauth-port must be a whole number from 1 to 65535, not "70000".');
		expect(usageError([URL, '--oauth', '--oauth-timeout', '0'])).toContain('--oauth-timeout must be a whole number from 1 to 3600');
		expect(usageError([URL, '--oauth', '--scope', ' '])).toBe('--scope must not be empty.');
		expect(usageError([URL, '--oauth', '--client-metadata-url', 'http://example.com/c.json'])).toContain(
			'must be an https URL with a path'
		);
		expect(usageError([URL, '--oauth', '--client-metadata-url', 'https://example.com'])).toContain('must be an https URL with a path');
	});
});
