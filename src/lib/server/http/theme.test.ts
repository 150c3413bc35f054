import { describe, expect, it } from 'vitest';
import { applyTheme } from './theme';

describe('applyTheme', () => {
	const page = '<html lang="en" data-theme="%parley.theme%"><head><meta name="color-scheme" content="%parley.color-scheme%" />';

	it('writes the theme and the colour scheme it asks for', () => {
		expect(applyTheme(page, 'dark')).toBe('<html lang="en" data-theme="dark"><head><meta name="color-scheme" content="dark" />');
		expect(applyTheme(page, 'system')).toBe('<html lang="en" data-theme="system"><head><meta name="color-scheme" content="light dark" />');
	});

	it('leaves chunks without the placeholders alone', () => {
		expect(applyTheme('<p>%parley</p>', 'light')).toBe('<p>%parley</p>');
	});
});
