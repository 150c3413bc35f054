import { describe, expect, it } from 'vitest';
import { readSignInMark, signInMark, signInPath } from './mcp-sign-in';

describe('the MCP sign-in mark', () => {
	it('is read back from the end of a tool error, and the message kept without it', () => {
		const text = `The MCP server "docs" needs you to connect your account. ${signInMark(12, 'per_user')}`;
		expect(readSignInMark(text)).toEqual({
			serverId: 12,
			connection: 'per_user',
			message: 'The MCP server "docs" needs you to connect your account.'
		});
		expect(readSignInMark(`Sign in. ${signInMark(3, 'shared')}`)?.connection).toBe('shared');
	});

	it('is not found in other errors, nor in the middle of one', () => {
		expect(readSignInMark('The tool failed.')).toBeNull();
		expect(readSignInMark(undefined)).toBeNull();
		expect(readSignInMark(`${signInMark(1, 'shared')} and more`)).toBeNull();
		expect(readSignInMark('[mcp-sign-in server=x connection=shared]')).toBeNull();
	});

	it('links to the start of a sign-in that comes back to the page', () => {
		expect(signInPath(4, '/chat/abc?x=1')).toBe('/api/mcp-servers/4/oauth/start?return_to=%2Fchat%2Fabc%3Fx%3D1');
	});
});
