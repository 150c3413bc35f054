import type { PlaygroundSession } from './types';

/** The session as one of `kind`: each protocol reads only its own, and any other is a programming error. */
export function sessionOfKind<K extends PlaygroundSession['kind']>(
	session: PlaygroundSession,
	kind: K
): Extract<PlaygroundSession, { kind: K }> {
	if (session.kind !== kind) throw new Error(`Expected a session of kind "${kind}", not "${session.kind}"`);
	return session as Extract<PlaygroundSession, { kind: K }>;
}
