import type { Locator, Page } from '@playwright/test';

/** A tool call's card in the chat: its state, input and output, and the controls that answer it. */
export class ToolCallCard {
	readonly root: Locator;
	/** The badge naming the call's state ("Needs approval", "Waiting for output", "Done" …). */
	readonly badge: Locator;
	readonly input: Locator;
	readonly output: Locator;
	readonly approve: Locator;
	readonly deny: Locator;
	/** The "Send output" form's text box and button, shown for a client tool's call. */
	readonly outputBox: Locator;
	readonly sendOutput: Locator;

	constructor(page: Page, toolName: string, index = 0) {
		this.root = page.getByTestId('tool-call').filter({ hasText: toolName }).nth(index);
		this.badge = this.root.locator('.badge');
		this.input = this.root.getByLabel('Input', { exact: true });
		this.output = this.root.getByLabel('Output', { exact: true });
		this.approve = this.root.getByRole('button', { name: 'Approve' });
		this.deny = this.root.getByRole('button', { name: 'Deny' });
		this.outputBox = this.root.getByRole('textbox', { name: `Output of ${toolName} (JSON or text)` });
		this.sendOutput = this.root.getByRole('button', { name: 'Send output' });
	}
}
