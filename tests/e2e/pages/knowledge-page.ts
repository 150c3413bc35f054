import { expect, type Locator, type Page } from '@playwright/test';
import { AdminPage } from './admin-page';

/** The text an answer ends with (after its reasoning and tool calls). */
export function answerText(answer: Locator): Locator {
	return answer.locator('.markdown').last();
}

/** Search result cards, in the chat or in the admin's "Try a search": within `scope`. */
export class SearchCards {
	constructor(private readonly scope: Locator) {}

	/** The product cards, in their order. */
	products(): Locator {
		return this.scope.getByTestId('product-card');
	}

	/** The passage cards, in their order. */
	passages(): Locator {
		return this.scope.getByTestId('passage-card');
	}

	/** Opens "Show data" and returns the raw envelope JSON. */
	async showData(): Promise<Locator> {
		const results = this.scope.getByTestId('search-results').last();
		const toggle = results.getByText('Show data', { exact: true });
		const raw = results.getByTestId('search-envelope');
		if (!(await raw.isVisible())) await toggle.click();
		await expect(raw).toBeVisible();
		return raw;
	}
}

/** The Knowledge section of an agent's admin page: its sources, uploads and trial searches. */
export class KnowledgeAdmin {
	readonly section: Locator;
	readonly cards: SearchCards;

	constructor(private readonly page: Page) {
		this.section = page.getByTestId('knowledge-section');
		this.cards = new SearchCards(this.section.getByTestId('knowledge-search'));
	}

	/** Opens an agent's admin page from the agents list, by slug. */
	async open(slug: string) {
		await this.page.goto('/admin/agents');
		await new AdminPage(this.page)
			.agentRow(slug)
			.getByRole('link', { name: /^(Edit|View)$/ })
			.click();
		await expect(this.section.getByRole('heading', { name: 'Knowledge' })).toBeVisible();
	}

	/** A source's row, by name. */
	row(name: string): Locator {
		return this.section.locator(`[data-testid="knowledge-row"][data-name="${name}"]`);
	}

	/** Adds a file as knowledge, of the given kind (or the inferred one). */
	async add(file: { name: string; mimeType: string; buffer: Buffer }, kind: 'auto' | 'document' | 'catalogue' = 'auto') {
		await this.section.getByLabel('File').setInputFiles(file);
		await this.section.getByLabel('Kind').selectOption(kind);
		await this.section.getByRole('button', { name: 'Add to knowledge' }).click();
	}

	/** The message of a refused upload. */
	uploadError(): Locator {
		return this.section.getByTestId('knowledge-upload-error');
	}

	/** Runs "Try a search" with a query and, when given, a scope and weights. */
	async search(query: string, options: { scope?: 'all' | 'products' | 'documents'; text?: number; vector?: number } = {}) {
		const form = this.section.getByTestId('knowledge-search');
		await form.getByLabel('Query').fill(query);
		if (options.scope) await form.getByLabel('Scope').selectOption(options.scope);
		if (options.text !== undefined) await form.getByLabel('Text weight').fill(String(options.text));
		if (options.vector !== undefined) await form.getByLabel('Vector weight').fill(String(options.vector));
		await form.getByRole('button', { name: 'Search' }).click();
		await expect(form.getByRole('button', { name: 'Search' })).toBeEnabled();
	}
}
