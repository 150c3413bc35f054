/** The screens every page is checked on: a laptop and a phone. */
export const VIEWPORTS = [
	{ name: 'desktop', width: 1280, height: 800 },
	{ name: 'phone', width: 390, height: 844 }
] as const;

export type Viewport = (typeof VIEWPORTS)[number];

/** The colour schemes every page is checked in. */
export const COLOR_SCHEMES = ['light', 'dark'] as const;
export type ColorScheme = (typeof COLOR_SCHEMES)[number];
