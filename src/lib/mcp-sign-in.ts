/**
 * The mark a tool error carries when an MCP server needs an OAuth sign-in, so that the chat's tool
 * card can offer "Connect": `[mcp-sign-in server=12 connection=per_user]` at the end of the
 * message. The server writes it, the card reads it (and hides it).
 */

/** Whose sign-in a server needs: the shared one (an admin's) or the person's own. */
export type SignInConnection = 'shared' | 'per_user';

const MARK = /\s*\[mcp-sign-in server=(\d{1,12}) connection=(shared|per_user)\]\s*$/;

/** The mark for a server's sign-in. */
export function signInMark(serverId: number, connection: SignInConnection): string {
	return `[mcp-sign-in server=${serverId} connection=${connection}]`;
}

/** What a tool error's mark says, and the message without it; null when it has none. */
export function readSignInMark(
	text: string | undefined | null
): { serverId: number; connection: SignInConnection; message: string } | null {
	const match = text ? MARK.exec(text) : null;
	if (!text || !match) return null;
	return { serverId: Number(match[1]), connection: match[2] as SignInConnection, message: text.slice(0, match.index) };
}

/** The path that starts a sign-in to a server and comes back to `returnTo` (a path on this site). */
export function signInPath(serverId: number, returnTo: string): string {
	return `/api/mcp-servers/${serverId}/oauth/start?${new URLSearchParams({ return_to: returnTo })}`;
}
