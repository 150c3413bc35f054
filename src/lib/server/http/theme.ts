import type { Handle } from '@sveltejs/kit';
import type { Theme } from '../db/schema';

/** The placeholders of `src/app.html` that the theme fills. */
const THEME_PLACEHOLDER = '%parley.theme%';
const SCHEME_PLACEHOLDER = '%parley.color-scheme%';

/** The `color-scheme` a theme asks the browser for: both (the device decides) or one. */
export function colorSchemeOf(theme: Theme): string {
	return theme === 'system' ? 'light dark' : theme;
}

/** A page's HTML with the theme in `<html data-theme>` and the `color-scheme` meta. */
export function applyTheme(html: string, theme: Theme): string {
	return html.replace(THEME_PLACEHOLDER, theme).replace(SCHEME_PLACEHOLDER, colorSchemeOf(theme));
}

/**
 * Renders every page in its viewer's theme (stored on the account, so it follows them to any
 * browser): written into the HTML by the server, so the page never flashes the other scheme.
 * Visitors who are not signed in get `system`. Runs after the auth handle.
 */
export const themeHandle: Handle = ({ event, resolve }) => {
	const theme: Theme = event.locals.user?.theme ?? 'system';
	return resolve(event, { transformPageChunk: ({ html }) => applyTheme(html, theme) });
};
