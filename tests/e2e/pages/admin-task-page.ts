import { expect, type Locator, type Page } from '@playwright/test';

/** One task in the admin task browser (`/admin/tasks/{id}`), with its edit form. */
export class AdminTaskPage {
	constructor(private readonly page: Page) {}

	/** Opens a user's task from the admin task list, found by the owner's email. */
	async openFromList(ownerEmail: string, taskId: string) {
		await this.page.goto('/admin/tasks');
		await this.page.getByLabel('Owner email').fill(ownerEmail);
		await this.page.getByRole('button', { name: 'Filter' }).click();
		await expect(this.page).toHaveURL(/user=/);
		const rows = this.page.getByTestId('admin-task-row');
		await expect(rows).toHaveCount(1);
		await rows.first().getByRole('link').first().click();
		await expect(this.page).toHaveURL(new RegExp(`/admin/tasks/${taskId}$`));
	}

	status(): Locator {
		return this.page.getByTestId('admin-task-edit').getByLabel('Status');
	}

	context(): Locator {
		return this.page.getByTestId('admin-task-edit').getByLabel('Context (JSON object)');
	}

	/** The context textarea's value, parsed. */
	async contextValue(): Promise<unknown> {
		return JSON.parse(await this.context().inputValue());
	}

	/** The message shown under the context field: the JSON check as you type, or the server's refusal. */
	contextError(kind: 'json' | 'server'): Locator {
		return this.page.getByTestId(kind === 'json' ? 'json-error-context' : 'field-error-context');
	}

	async save() {
		await this.page.getByTestId('admin-task-edit').getByRole('button', { name: 'Save' }).click();
	}
}
