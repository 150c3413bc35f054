import { expect, type Locator, type Page } from '@playwright/test';

/** The chat page: agent picker, messages and the composer. */
export class ChatPage {
	readonly input: Locator;
	readonly messages: Locator;

	constructor(private readonly page: Page) {
		this.input = page.getByRole('textbox', { name: 'Message' });
		this.messages = page.getByTestId('message');
	}

	/** Chooses an agent by slug in the header's agent menu. */
	async pickAgent(slug: string) {
		const picker = this.page.getByTestId('agent-picker');
		await picker.click();
		await this.page.locator(`[data-testid="agent-option"][data-slug="${slug}"]`).click();
		await expect(this.page.getByRole('menu', { name: 'Agents' })).toHaveCount(0);
	}

	/** Types a message and sends it with Enter. */
	async send(text: string) {
		await this.input.fill(text);
		await this.input.press('Enter');
	}

	/** The assistant messages. */
	answers() {
		return this.page.locator('[data-testid="message"][data-role="assistant"]');
	}

	/** The user messages. */
	questions() {
		return this.page.locator('[data-testid="message"][data-role="user"]');
	}

	/** Waits until no answer is streaming: the Send button is back. A long answer asked for slowly takes about 12 s. */
	async waitForIdle() {
		await expect(this.page.getByRole('button', { name: 'Stop' })).toHaveCount(0, { timeout: 30_000 });
		await expect(this.page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
	}
}
