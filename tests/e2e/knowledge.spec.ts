import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { AdminPage, loginAsAdmin } from './pages/admin-page';
import { gotoInteractive } from './pages/goto-interactive';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { answerConfirmation } from './pages/confirm-dialog';
import { answerText, KnowledgeAdmin, SearchCards } from './pages/knowledge-page';

const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');

function unique(prefix: string) {
	return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

test.beforeAll(() => {
	mkdirSync(screenshots, { recursive: true });
});

test('the shop assistant answers from its catalogue with product cards it cites', async ({ page }) => {
	await new AuthPage(page).signUp(`${unique('shopper')}@example.com`, 'correct horse battery');
	const chat = new ChatPage(page);
	await chat.pickAgent('shop');
	await chat.send('Do you have a lantern?');

	const answer = chat.answers().last();
	const cards = new SearchCards(answer);
	const lantern = cards.products().filter({ hasText: 'Emberglow LED Lantern' }).first();
	await expect(lantern).toBeVisible();
	await expect(lantern).toContainText('from shop-catalogue.csv');
	await expect(lantern).toContainText('$39.00');
	await expect(lantern).toContainText('Camping');
	// The best match comes first and carries the number the answer cites.
	await expect(cards.products().first()).toContainText('Emberglow LED Lantern');
	await expect(cards.products().first()).toContainText('[1]');
	await chat.waitForIdle();
	await expect(answerText(answer)).toContainText('Emberglow LED Lantern');
	await expect(answerText(answer)).toContainText('[1]');

	// The picture loads from its signed link when the envelope has one; otherwise a placeholder stands in.
	const raw = await cards.showData();
	const envelope = JSON.parse((await raw.textContent()) ?? '{}') as { data: { name: string; signed_url?: string }[] };
	const product = envelope.data.find((item) => item.name === 'Emberglow LED Lantern');
	expect(product).toBeDefined();
	if (product?.signed_url) {
		const picture = lantern.getByRole('img', { name: 'Emberglow LED Lantern' });
		await picture.scrollIntoViewIfNeeded();
		await expect.poll(() => picture.evaluate((image: HTMLImageElement) => (image.complete ? image.naturalWidth : 0))).toBeGreaterThan(0);
	} else {
		await expect(lantern.getByTestId('product-picture-fallback')).toBeVisible();
	}
	// Hiding the data again leaves the cards for the screenshot.
	await answer.getByText('Show data', { exact: true }).click();
	await expect(raw).toBeHidden();
	await answer.getByTestId('tool-call').evaluate((card) => card.scrollIntoView({ block: 'start' }));
	await page.screenshot({ path: resolve(screenshots, 'knowledge-chat.png') });
});

test('an admin adds a document to an agent, tries a search with other weights, and deletes it', async ({ page }) => {
	await loginAsAdmin(page);
	const admin = new AdminPage(page);
	const agentName = unique('Lighthouse guide');
	// The slug follows the name once the form is interactive.
	await gotoInteractive(page, '/admin/agents/new');
	await admin.fillAgent({ name: agentName, systemPrompt: 'You answer questions about the lighthouse.' });
	await admin.save('Create agent', /\/admin\/agents\?saved=/);
	const slug = agentName.toLowerCase().replace(/\s+/g, '-');

	const knowledge = new KnowledgeAdmin(page);
	await knowledge.open(slug);
	await expect(knowledge.section.getByTestId('knowledge-empty')).toContainText('search_knowledge');

	// A file whose text Parley cannot read is refused with a message that says so.
	await knowledge.add({ name: 'blob.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 9]) });
	await expect(knowledge.uploadError()).toContainText('cannot read the text of "blob.bin"');

	const fileName = `${unique('keeper-notes')}.md`;
	const text = '# The keeper’s notes\n\nWhen the fog rolls in, the keeper sounds the foghorn every thirty seconds until dawn.\n';
	await knowledge.add({ name: fileName, mimeType: 'text/markdown', buffer: Buffer.from(text) });
	await expect(knowledge.uploadError()).toHaveCount(0);
	const row = knowledge.row(fileName);
	await expect(row).toContainText('Document');
	// Indexed in the background: the row turns ready without a reload, with its passage count.
	await expect(row).toHaveAttribute('data-status', 'ready');
	await expect(row.getByTestId('knowledge-status')).toHaveText('Ready');
	await expect(row.getByTestId('knowledge-chunks')).toHaveText(/^[1-9]\d*$/);
	// It has knowledge but no search tool to use it with.
	await expect(knowledge.section.getByTestId('knowledge-tool-hint')).toContainText('search_knowledge');

	await knowledge.search('foghorn', { scope: 'documents' });
	const passage = knowledge.cards.passages().first();
	await expect(passage).toContainText(fileName);
	await expect(passage).toContainText('foghorn every thirty seconds');
	await expect(passage).toContainText('[1]');
	let raw = await knowledge.cards.showData();
	await expect(raw).toContainText('"text": 0.5');

	await knowledge.search('foghorn', { scope: 'documents', text: 0.2, vector: 0.8 });
	raw = await knowledge.cards.showData();
	await expect(raw).toContainText('"text": 0.2');
	await expect(raw).toContainText('"vector": 0.8');
	await expect(knowledge.cards.passages().first()).toContainText(fileName);
	await knowledge.section.getByRole('heading', { name: 'Try a search' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
	await page.screenshot({ path: resolve(screenshots, 'admin-knowledge.png') });

	// Cancelling the confirmation keeps the document; confirming deletes it.
	await row.getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete', { cancel: true });
	await expect(row).toBeVisible();
	await row.getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete', { says: fileName });
	await expect(row).toHaveCount(0);
	await expect(knowledge.section.getByTestId('knowledge-empty')).toBeVisible();
	await page.reload();
	await expect(knowledge.section.getByTestId('knowledge-empty')).toBeVisible();
	await expect(knowledge.row(fileName)).toHaveCount(0);
});
