import { expect, type Locator, type Page } from '@playwright/test';
import { AuthPage } from './auth-page';

/** The admin of the e2e server, the first account to sign up (tests/support/e2e-admin.ts). */
export const adminEmail = process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com';
export const adminPassword = process.env.E2E_ADMIN_PASSWORD ?? 'admin password 123';

/** Logs in as the e2e admin and waits to leave the form. */
export async function loginAsAdmin(page: Page): Promise<void> {
	await new AuthPage(page).logIn(adminEmail, adminPassword);
	await expect(page).not.toHaveURL(/\/login/);
}

/** The admin pages: agents, tools and templates lists and their forms. */
export class AdminPage {
	constructor(private readonly page: Page) {}

	/** The row of an agent in the agents list, by slug. */
	agentRow(slug: string): Locator {
		return this.page.locator(`[data-testid="agent-row"][data-slug="${slug}"]`);
	}

	/** The row of a tool in the tools list, by name. */
	toolRow(name: string): Locator {
		return this.page.locator(`[data-testid="tool-row"][data-name="${name}"]`);
	}

	/** The row of a template in the templates list, by name. */
	templateRow(name: string): Locator {
		return this.page.locator(`[data-testid="template-row"][data-name="${name}"]`);
	}

	/** The success message after a save or delete. */
	flash(): Locator {
		return this.page.getByTestId('flash');
	}

	/** Fills the new-agent form's name (the slug follows it) and checks the given tools. */
	async fillAgent(options: { name: string; slug?: string; systemPrompt?: string; tools?: string[]; visibility?: string }) {
		await this.page.getByLabel('Name', { exact: true }).fill(options.name);
		if (options.slug) await this.page.getByLabel('Slug').fill(options.slug);
		if (options.systemPrompt) await this.page.getByLabel('System prompt').fill(options.systemPrompt);
		if (options.visibility) await this.page.getByLabel('Visibility').selectOption(options.visibility);
		for (const tool of options.tools ?? []) {
			await this.page
				.getByTestId('agent-form')
				.getByRole('checkbox', { name: new RegExp(`^${tool}\\b`) })
				.check();
		}
	}

	/** Submits the open form and waits for the list with its success message. */
	async save(button: string, list: RegExp) {
		await this.page.getByRole('button', { name: button }).click();
		await expect(this.page).toHaveURL(list);
		await expect(this.flash()).toBeVisible();
	}
}
