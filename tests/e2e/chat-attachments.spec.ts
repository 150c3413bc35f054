import { expect, test, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { minimalPdf } from '../support/minimal-pdf';

const password = 'correct horse battery';

/** A valid 1×1 PNG (one opaque pixel), small enough to write out. */
const pixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The server's default `FILE_SIZE_LIMIT` (25 MB), which the e2e server keeps. */
const fileSizeLimit = 25 * 1024 * 1024;

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

async function signUp(page: Page, prefix: string): Promise<ChatPage> {
	await new AuthPage(page).signUp(uniqueEmail(prefix), password);
	return new ChatPage(page);
}

function textFile(name: string, text: string) {
	return { name, mimeType: 'text/plain', buffer: Buffer.from(text) };
}

/** The composer's file input (hidden; the Attach button opens it). */
function fileInput(page: Page) {
	return page.locator('form input[type="file"]');
}

/** The chips of the files attached to the next message. */
function chips(page: Page) {
	return page.getByRole('list', { name: 'Attachments' }).getByRole('listitem');
}

function sendButton(page: Page) {
	return page.getByRole('button', { name: 'Send' });
}

/** Whether a URL still loads in the page (object URLs stop loading once revoked). */
function loads(page: Page, url: string) {
	return page.evaluate(
		(address) =>
			fetch(address).then(
				() => true,
				() => false
			),
		url
	);
}

test('attached files show as chips, go with the message, and stay on it after a reload', async ({ page }) => {
	const chat = await signUp(page, 'attach');
	const notes = textFile('notes.txt', 'Meeting notes: ship the attachments on Friday.');

	const chooser = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: 'Attach files' }).click();
	await (
		await chooser
	).setFiles([{ name: 'pixel.png', mimeType: 'image/png', buffer: pixelPng }, notes, textFile('draft.txt', 'Not meant to be sent.')]);

	await expect(chips(page)).toHaveCount(3);
	await expect(page.locator('[data-testid="attachment"][data-status="ready"]')).toHaveCount(3);
	// The image is previewed from the local file, before and independently of the server.
	const preview = chips(page).getByRole('img', { name: 'pixel.png' });
	await expect(preview).toHaveAttribute('src', /^blob:/);
	await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);
	const previewUrl = (await preview.getAttribute('src')) ?? '';
	await expect(chips(page).filter({ hasText: 'notes.txt' })).toContainText(`${notes.buffer.length} B`);

	await page.getByRole('button', { name: 'Remove draft.txt' }).click();
	await expect(chips(page)).toHaveCount(2);
	await expect(page.getByRole('list', { name: 'Attachments' })).not.toContainText('draft.txt');

	await chat.send('Here are my files');
	const question = chat.questions().first();
	await expect(question).toContainText('Here are my files');
	await expect(question.getByRole('img', { name: 'pixel.png' })).toHaveAttribute('src', /^\/api\/files\/[^/]+$/);
	await expect(question.getByRole('link', { name: /notes\.txt/ })).toHaveAttribute('href', /^\/api\/files\/[^/]+$/);
	await expect(question).not.toContainText('draft.txt');
	await expect(page.getByRole('list', { name: 'Attachments' })).toHaveCount(0);
	expect(await loads(page, previewUrl)).toBe(false);

	await chat.waitForIdle();
	await expect(chat.answers().first()).toContainText('I received 2 attachments: pixel.png (image), notes.txt (document).');

	await page.reload();
	const stored = chat.questions().first();
	const image = stored.getByRole('img', { name: 'pixel.png' });
	await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(1);
	const imageLink = stored.getByRole('link', { name: 'pixel.png' });
	await expect(imageLink).toHaveAttribute('target', '_blank');
	await expect(imageLink).toHaveAttribute('rel', /\bnoopener\b/);
	const download = await page.request.get((await image.getAttribute('src')) ?? '');
	expect(download.status()).toBe(200);
	expect(download.headers()['content-type']).toBe('image/png');
	expect(Buffer.from(await download.body()).equals(pixelPng)).toBe(true);
	await expect(stored.getByRole('link', { name: /notes\.txt/ })).toContainText('text/plain');
	await expect(stored).not.toContainText('draft.txt');
	await expect(chat.answers().first()).toContainText('I received 2 attachments: pixel.png (image), notes.txt (document).');
});

test('a sent document shows when its text has been read, and the answer quotes it', async ({ page }) => {
	const chat = await signUp(page, 'reading');
	const pdf = Buffer.from(minimalPdf(['Sea otters hold hands while they sleep.']));
	await fileInput(page).setInputFiles([{ name: 'otters.pdf', mimeType: 'application/pdf', buffer: pdf }]);
	await expect(page.locator('[data-testid="attachment"][data-status="ready"]')).toHaveCount(1);
	await chat.send('What does this say?');

	const status = chat.questions().first().getByTestId('extraction');
	await expect(status).toHaveAttribute('data-status', 'ready');
	await expect(status).toHaveText('Text read');
	await expect(chat.answers().first()).toContainText('Sea otters hold hands');
	await chat.waitForIdle();
});

test('a file over the size limit shows the server’s 413 message on its chip', async ({ page }) => {
	// Just over 25 MB crosses from the test to the browser and on to the server: slow on a busy machine.
	test.slow();
	const chat = await signUp(page, 'too-large');
	await fileInput(page).setInputFiles({
		name: 'report.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.alloc(fileSizeLimit + 1)
	});

	const chip = page.getByTestId('attachment');
	await expect(chip).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
	await expect(chip.getByRole('alert')).toHaveText('report.pdf is too large: The file "report.pdf" is larger than the limit of 25 MB.');
	// Nothing uploaded and no text: there is nothing to send.
	await expect(sendButton(page)).toBeDisabled();

	await page.getByRole('button', { name: 'Remove report.pdf' }).click();
	await expect(chip).toHaveCount(0);
	await expect(chat.input).toBeFocused();
});

test('a refused media type shows the server’s 415 message on its chip', async ({ page }) => {
	await signUp(page, 'refused-type');
	// The server takes files of every type; it refuses (415) an upload that is not a form. The upload
	// goes to the server as such here, and its own answer comes back to the page.
	let refusal: { status: number; body: { error: { code: string; message: string; field: string } } } | undefined;
	await page.route('**/api/files', async (route) => {
		const headers = { ...route.request().headers(), 'content-type': 'application/octet-stream' };
		const response = await route.fetch({ headers });
		refusal = { status: response.status(), body: await response.json() };
		await route.fulfill({ response });
	});
	await fileInput(page).setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });

	const alert = page.getByTestId('attachment').getByRole('alert');
	await expect(alert).toHaveText('setup.exe is not a supported type: Send the request as multipart/form-data.');
	expect(refusal).toEqual({
		status: 415,
		body: { error: { code: 'unsupported_media_type', message: 'Send the request as multipart/form-data.', field: 'content-type' } }
	});
	await expect(sendButton(page)).toBeDisabled();
});

test('Send waits for uploads; dropped and pasted files go as a message of files alone', async ({ page }) => {
	const chat = await signUp(page, 'drop-paste');
	let releaseUpload = () => {};
	const uploadReleased = new Promise<void>((resolve) => (releaseUpload = resolve));
	await page.route('**/api/files', async (route) => {
		await uploadReleased;
		await route.continue();
	});

	const dropped = await page.evaluateHandle(() => {
		const transfer = new DataTransfer();
		transfer.items.add(new File(['Dropped in by hand.'], 'dropped.txt', { type: 'text/plain' }));
		return transfer;
	});
	await chat.input.dispatchEvent('dragenter', { dataTransfer: dropped });
	await chat.input.dispatchEvent('drop', { dataTransfer: dropped });

	const chip = page.getByTestId('attachment');
	await expect(chip).toHaveAttribute('data-status', 'uploading');
	await expect(page.getByRole('progressbar', { name: 'Uploading dropped.txt' })).toBeVisible();
	await chat.input.fill('Too early');
	await expect(sendButton(page)).toBeDisabled();
	await chat.input.press('Enter');
	await expect(chat.input).toHaveValue('Too early');
	await expect(chat.questions()).toHaveCount(0);

	releaseUpload();
	await expect(chip).toHaveAttribute('data-status', 'ready');
	await expect(sendButton(page)).toBeEnabled();
	await page.unroute('**/api/files');

	await chat.input.evaluate((textarea, base64) => {
		const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
		const transfer = new DataTransfer();
		transfer.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
		textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
	}, pixelPng.toString('base64'));
	await expect(chips(page)).toHaveCount(2);
	await expect(chips(page).getByRole('img', { name: 'pasted.png' })).toBeVisible();
	await expect(page.locator('[data-testid="attachment"][data-status="ready"]')).toHaveCount(2);

	// Files alone make a message.
	await chat.input.fill('');
	await expect(sendButton(page)).toBeEnabled();
	await chat.input.press('Enter');
	const question = chat.questions().first();
	await expect(question.getByRole('img', { name: 'pasted.png' })).toBeVisible();
	await expect(question.getByRole('link', { name: /dropped\.txt/ })).toBeVisible();
	await chat.waitForIdle();
	await expect(chat.answers().first()).toContainText('I received 2 attachments: dropped.txt (document), pasted.png (image).');
});

test('a file name made of markup is shown as text and runs nothing', async ({ page }) => {
	const dialogs: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	const chat = await signUp(page, 'markup-name');
	const name = '<img src=x onerror=alert(1)>.txt';

	await fileInput(page).setInputFiles(textFile(name, 'Nothing to see here.'));
	await expect(page.getByTestId('attachment')).toHaveAttribute('data-status', 'ready');
	await expect(page.getByTestId('attachment')).toContainText(name);
	await expect(page.getByRole('button', { name: `Remove ${name}` })).toBeVisible();

	await chat.send('What is in this file?');
	await expect(chat.questions().first().getByTestId('file-part')).toContainText(name);
	await chat.waitForIdle();
	await expect(chat.answers().first()).toContainText(`I received 1 attachment: ${name} (document).`);

	await page.reload();
	await expect(chat.questions().first().getByTestId('file-part')).toContainText(name);
	await expect(page.locator('img[src="x"]')).toHaveCount(0);
	expect(dialogs).toEqual([]);
});

test('file parts stored by other clients open only safe addresses', async ({ page }) => {
	const chat = await signUp(page, 'foreign-parts');
	const origin = new URL(page.url()).origin;
	const parts = [
		{ type: 'file', mediaType: 'text/html', url: 'javascript:alert(1)', filename: 'script.html' },
		{ type: 'file', mediaType: 'image/png', url: 'https://images.example/tracker.png', filename: 'outside.png' }
	];
	// The app's own chat refuses addresses it would have to fetch or trust.
	const refused = await page.request.post('/api/chat', {
		headers: { origin },
		data: { id: `parts${Date.now()}`, messages: [{ id: 'q', role: 'user', parts: [...parts, { type: 'text', text: 'x' }] }] }
	});
	expect(refused.status()).toBe(400);

	// assistant-ui clients may send images as links, and those are stored: the page must not trust them.
	const stored = await page.request.post('/assistant', {
		headers: { origin },
		data: {
			commands: [
				{
					type: 'add-message',
					message: {
						role: 'user',
						id: `question-${Date.now()}`,
						parts: [
							{ type: 'image', image: 'javascript:alert(1)' },
							{ type: 'image', image: 'https://images.example/tracker.png' },
							{ type: 'image', image: `data:image/png;base64,${pixelPng.toString('base64')}` },
							{ type: 'text', text: 'Files from elsewhere' }
						]
					},
					parentId: null,
					sourceId: null
				}
			],
			state: { messages: [] }
		}
	});
	expect(stored.status()).toBe(200);
	const taskId = stored.headers()['x-parley-task-id'];
	await stored.body();

	await page.goto(`/chat/${taskId}`);
	const question = chat.questions().first();
	await expect(question).toContainText('Files from elsewhere');
	const fileParts = question.getByTestId('file-part');
	await expect(fileParts).toHaveCount(3);
	await expect(fileParts.nth(0)).not.toHaveAttribute('href');
	await expect(fileParts.nth(0).getByRole('img')).toHaveCount(0);
	// An outside image is not loaded; it is offered as a link that opens in a new tab.
	await expect(fileParts.nth(1).getByRole('img')).toHaveCount(0);
	await expect(fileParts.nth(1)).toHaveAttribute('href', 'https://images.example/tracker.png');
	await expect(fileParts.nth(1)).toHaveAttribute('rel', /\bnoopener\b/);
	const inline = question.locator('img[src^="data:image/png"]');
	await expect.poll(() => inline.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);
});

test('on a phone the composer fits, and its controls work from the keyboard', async ({ page }) => {
	await page.setViewportSize({ width: 375, height: 740 });
	const chat = await signUp(page, 'phone');
	const attach = page.getByRole('button', { name: 'Attach files' });

	await chat.input.focus();
	await page.keyboard.press('Shift+Tab');
	await expect(attach).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(chat.input).toBeFocused();

	await fileInput(page).setInputFiles([
		{ name: 'pixel.png', mimeType: 'image/png', buffer: pixelPng },
		textFile('a-rather-long-file-name-for-a-small-screen-quarterly-report-final-v2.txt', 'Numbers.')
	]);
	await expect(page.locator('[data-testid="attachment"][data-status="ready"]')).toHaveCount(2);

	const composer = page.locator('form').filter({ has: chat.input });
	for (const control of [composer, attach, chat.input, sendButton(page), ...(await chips(page).all())]) {
		const box = await control.boundingBox();
		expect(box).not.toBeNull();
		expect(box!.x).toBeGreaterThanOrEqual(0);
		expect(box!.x + box!.width).toBeLessThanOrEqual(375);
	}

	// Shift+Enter starts a new line; Enter sends.
	await chat.input.fill('first line');
	await chat.input.press('Shift+Enter');
	await chat.input.pressSequentially('second line');
	await expect(chat.input).toHaveValue('first line\nsecond line');
	await expect(chat.questions()).toHaveCount(0);
	await chat.input.press('Enter');
	await expect(chat.questions().first()).toContainText('first line');
	await chat.waitForIdle();
	await expect(chat.answers().first()).toContainText('I received 2 attachments');
});
