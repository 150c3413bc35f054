/**
 * Fills `{{name}}` (and `{{ name.path }}`) placeholders from a context; unknown names become empty.
 * Client-safe: the admin pages preview templates with it, the runtime builds prompts with it.
 */
export function fillTemplate(template: string, context: Record<string, unknown> | null | undefined): string {
	return template.replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, (_, path: string) => {
		let value: unknown = context ?? {};
		for (const key of path.split('.')) {
			value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
		}
		if (value === undefined || value === null) return '';
		return typeof value === 'string' ? value : JSON.stringify(value);
	});
}

/** The distinct variable names a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
	const names = [...template.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)].map((match) => match[1]);
	return [...new Set(names)];
}
