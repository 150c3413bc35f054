/**
 * Every page of the app a person can open, in one list: the all-pages checks (no horizontal
 * overflow on a phone, no serious accessibility violation) visit each of them. A new page is
 * added here, with whatever it needs in {@link RouteFixtures}.
 */

/** Who opens a page: the e2e admin, a plain signed-in user, or a visitor who is not signed in. */
export type Visitor = 'admin' | 'user' | 'anonymous';

/** Things that must exist for some pages to open: ids made by `prepareRouteFixtures`. */
export interface RouteFixtures {
	/** The admin's own task, with an image, a document, reasoning, a tool call and code in it. */
	taskId: string;
	/** An agent defined in the database, with a knowledge section (the demo shop). */
	agentId: number;
	/** An agent defined in code, shown read-only. */
	codeAgentId: number;
	/** A tool of the catalogue. */
	toolId: number;
	/** A prompt template. */
	templateId: number;
	/** The token of a share link of the admin's task. */
	shareToken: string;
}

/** A page to check. */
export interface AppRoute {
	/** Short and unique: it names the tests. */
	name: string;
	/** The address, or how to make it from the fixtures. */
	path: string | ((fixtures: RouteFixtures) => string);
	as: Visitor;
	/** The status the page answers with; 200 when not given. */
	status?: number;
	/**
	 * A page that is not the app's own (Swagger UI, ReDoc): checked for overflow of the page only,
	 * since its markup and accessibility belong to another project.
	 */
	foreign?: boolean;
}

export const APP_ROUTES: AppRoute[] = [
	// Chat and the user's own pages.
	{ name: 'new chat', path: '/', as: 'admin' },
	{ name: 'chat', path: ({ taskId }) => `/chat/${taskId}`, as: 'admin' },
	{ name: 'tasks', path: '/tasks', as: 'admin' },
	{ name: 'settings', path: '/settings', as: 'admin' },
	{ name: 'playground', path: '/playground', as: 'admin' },
	{ name: 'widget demo', path: '/widget/demo', as: 'admin' },
	{ name: 'shared chat', path: ({ shareToken }) => `/s/${shareToken}`, as: 'anonymous' },
	// Signing in.
	{ name: 'log in', path: '/login', as: 'anonymous' },
	{ name: 'sign up', path: '/signup', as: 'anonymous' },
	// Admin pages, their forms and details.
	{ name: 'admin agents', path: '/admin/agents', as: 'admin' },
	{ name: 'admin new agent', path: '/admin/agents/new', as: 'admin' },
	{ name: 'admin agent', path: ({ agentId }) => `/admin/agents/${agentId}`, as: 'admin' },
	{ name: 'admin code agent', path: ({ codeAgentId }) => `/admin/agents/${codeAgentId}`, as: 'admin' },
	{ name: 'admin tools', path: '/admin/tools', as: 'admin' },
	{ name: 'admin new tool', path: '/admin/tools/new', as: 'admin' },
	{ name: 'admin tool', path: ({ toolId }) => `/admin/tools/${toolId}`, as: 'admin' },
	{ name: 'admin MCP servers', path: '/admin/mcp-servers', as: 'admin' },
	{ name: 'admin templates', path: '/admin/templates', as: 'admin' },
	{ name: 'admin new template', path: '/admin/templates/new', as: 'admin' },
	{ name: 'admin template', path: ({ templateId }) => `/admin/templates/${templateId}`, as: 'admin' },
	{ name: 'admin users', path: '/admin/users', as: 'admin' },
	{ name: 'admin keys', path: '/admin/keys', as: 'admin' },
	{ name: 'admin tasks', path: '/admin/tasks', as: 'admin' },
	{ name: 'admin task', path: ({ taskId }) => `/admin/tasks/${taskId}`, as: 'admin' },
	{ name: 'admin usage', path: '/admin/usage', as: 'admin' },
	// Error pages.
	{ name: 'unknown page', path: '/no-such-page', as: 'admin', status: 404 },
	{ name: 'unknown task', path: '/chat/no-such-task', as: 'admin', status: 404 },
	{ name: 'admin page for a user', path: '/admin/agents', as: 'user', status: 403 },
	{ name: 'unknown page, signed out', path: '/no-such-page', as: 'anonymous', status: 404 },
	{ name: 'revoked share link', path: '/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', as: 'anonymous', status: 404 },
	// The API's documentation.
	{ name: 'Swagger UI', path: '/swagger', as: 'admin', foreign: true },
	{ name: 'ReDoc', path: '/redoc', as: 'admin', foreign: true }
];

/** The address of a route. */
export function routePath(route: AppRoute, fixtures: RouteFixtures): string {
	return typeof route.path === 'string' ? route.path : route.path(fixtures);
}
