import type { UserRole } from '../db/schema';

/**
 * Who is asking: a signed-in user (by cookie or API key), or an anonymous caller of a public agent
 * with the client address it called from (which per-address limits count by).
 */
export type Viewer = ({ kind: 'user'; id: string; role: UserRole } | { kind: 'anonymous'; anonymousId: string; address?: string }) & {
	/** The request came from the playground page: the tasks it makes are marked as playground tasks. */
	playground?: boolean;
};

/** Whether a viewer is an admin. */
export function isAdmin(viewer: Viewer): boolean {
	return viewer.kind === 'user' && viewer.role === 'admin';
}
