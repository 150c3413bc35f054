import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { CannedChat, text, widget, type ChatRequestBody } from './pages/canned-chat';
import { ChatPage } from './pages/chat-page';

const password = 'correct horse battery';

// Dates, times and prices are formatted for the reader: one locale and zone keeps them known here.
test.use({ locale: 'en-GB', timezoneId: 'UTC' });

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** The widgets of one type on the page. */
function widgetsOf(page: Page, type: string) {
	return page.locator(`[data-testid="widget"][data-widget-type="${type}"]`);
}

const choice = {
	question: 'Which team should get your question?',
	options: [
		{ value: 'billing', label: 'Billing', description: 'Invoices and refunds' },
		{ value: 'tech', label: 'Technical support' }
	]
};

const form = {
	title: 'Your details',
	schema: {
		type: 'object',
		properties: {
			name: { type: 'string', title: 'Name' },
			email: { type: 'string', title: 'Email', format: 'email' },
			guests: { type: 'integer', title: 'Guests', minimum: 1, maximum: 8, default: 2 },
			plan: { title: 'Plan', enum: ['basic', 'pro'] },
			newsletter: { type: 'boolean', title: 'Send me news' }
		},
		required: ['name', 'email']
	}
};

const products = {
	title: 'Mugs we have',
	products: [
		{ id: 'mug-blue', name: 'Blue mug', price: 12.5, currency: 'EUR', description: 'Stoneware, 350 ml.', url: 'https://shop.example/blue' },
		{ id: 'mug-red', name: 'Red mug', price: 14, currency: 'EUR' }
	]
};

// 09:00 and 10:00 UTC are 10:00 and 11:00 in Paris.
const appointments = {
	title: 'Free times',
	timeZone: 'Europe/Paris',
	durationMinutes: 30,
	slots: [
		{ start: '2030-12-03T09:00:00.000Z', end: '2030-12-03T09:30:00.000Z' },
		{ start: '2030-12-03T10:00:00.000Z', end: '2030-12-03T10:30:00.000Z' },
		{ start: '2030-12-04T13:00:00.000Z', end: '2030-12-04T13:30:00.000Z' }
	]
};

/**
 * Signs a new person up and sends a first message, answered with `chunks` by a canned
 * `/api/chat`. Only for what no agent of this build sends: a product carousel, a choice of
 * several, a form outside a tool call or with number, list and checkbox fields, an unknown widget
 * type and malformed widget data. Everything else is tested against the server.
 */
async function startChat(page: Page, prefix: string, chunks: Parameters<CannedChat['answer']>[1]) {
	const canned = await CannedChat.install(page);
	await new AuthPage(page).signUp(uniqueEmail(prefix), password);
	const chat = new ChatPage(page);
	canned.answer('answer-1', chunks);
	await chat.send('Hello');
	await chat.waitForIdle();
	return { canned, chat };
}

/** Signs a new person up and opens a chat with an agent of this build. */
async function chatWith(page: Page, prefix: string, agent: string): Promise<ChatPage> {
	await new AuthPage(page).signUp(uniqueEmail(prefix), password);
	const chat = new ChatPage(page);
	await chat.pickAgent(agent);
	return chat;
}

/** The body of the next chat request the page sends (start waiting before the click that sends it). */
async function nextChatRequest(page: Page): Promise<ChatRequestBody> {
	const request = await page.waitForRequest(
		(candidate) => candidate.method() === 'POST' && new URL(candidate.url()).pathname === '/api/chat'
	);
	return request.postDataJSON() as ChatRequestBody;
}

/** Counts the chat requests the page sends from now on. */
function countChatRequests(page: Page): () => number {
	let count = 0;
	page.on('request', (request) => {
		if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/chat') count++;
	});
	return () => count;
}

// Canned: no agent sends a product carousel, an unknown widget type or malformed widget data.
test('each built-in widget shows its content, and an unknown or malformed one a readable card', async ({ page }) => {
	const errors: Error[] = [];
	page.on('pageerror', (error) => errors.push(error));
	await startChat(page, 'widgets-all', [
		...text('t1', 'Here is everything:'),
		...widget('w-choice', 'choice', choice),
		...widget('w-form', 'form', form),
		...widget('w-products', 'product_carousel', products),
		...widget('w-slots', 'appointment_picker', appointments),
		...widget('w-order', 'order_status', { order_id: 'A-1042', status: 'Shipped', carrier: 'DHL' }),
		...widget('w-broken', 'choice', { question: 'Options went missing' })
	]);

	const choiceWidget = widgetsOf(page, 'choice').first();
	await expect(choiceWidget.getByRole('group', { name: choice.question })).toBeVisible();
	await expect(choiceWidget.getByRole('button', { name: 'Billing' })).toBeEnabled();
	await expect(choiceWidget.getByRole('button', { name: 'Billing' })).toHaveAccessibleDescription('Invoices and refunds');
	await expect(choiceWidget.getByRole('button', { name: 'Technical support' })).toBeEnabled();

	const formWidget = widgetsOf(page, 'form');
	await expect(formWidget.getByRole('group', { name: 'Your details' })).toBeVisible();
	await expect(formWidget.getByRole('textbox', { name: 'Name' })).toHaveAttribute('required', '');
	await expect(formWidget.getByRole('textbox', { name: 'Email' })).toHaveAttribute('type', 'email');
	await expect(formWidget.getByRole('spinbutton', { name: 'Guests' })).toHaveValue('2');
	await expect(formWidget.getByRole('combobox', { name: 'Plan' })).toBeVisible();
	await expect(formWidget.getByRole('checkbox', { name: 'Send me news' })).not.toBeChecked();

	const carousel = widgetsOf(page, 'product_carousel');
	await expect(carousel.getByRole('heading', { name: 'Mugs we have' })).toBeVisible();
	await expect(carousel.getByRole('listitem')).toHaveCount(2);
	await expect(carousel.getByRole('listitem').first()).toContainText('Blue mug');
	await expect(carousel.getByRole('listitem').first()).toContainText('€12.50');
	await expect(carousel.getByRole('listitem').first()).toContainText('Stoneware, 350 ml.');
	await expect(carousel.getByRole('link', { name: 'Details of Blue mug' })).toHaveAttribute('href', 'https://shop.example/blue');
	await expect(carousel.getByRole('button', { name: 'Choose Red mug' })).toBeEnabled();

	const picker = widgetsOf(page, 'appointment_picker');
	await expect(picker.getByRole('group', { name: 'Free times' })).toContainText('Times in Europe/Paris');
	const tuesday = picker.getByRole('group', { name: 'Tuesday 3 December' });
	// Each button shows the time; its name also says the day.
	await expect(tuesday.getByRole('button')).toHaveText(['Tue 3 Dec, 10:00', 'Tue 3 Dec, 11:00']);
	await expect(tuesday.getByRole('button', { name: 'Tue 3 Dec, 10:00' })).toBeEnabled();
	await expect(picker.getByRole('group', { name: 'Wednesday 4 December' }).getByRole('button')).toHaveText(['Wed 4 Dec, 14:00']);

	const fallbacks = page.getByTestId('widget-fallback');
	await expect(fallbacks).toHaveCount(2);
	const order = widgetsOf(page, 'order_status');
	await expect(order.getByRole('heading', { name: 'Order status' })).toBeVisible();
	await expect(order).toContainText('order_status');
	await expect(order.locator('dt')).toHaveText(['Order id', 'Status', 'Carrier']);
	await expect(order.locator('dd')).toHaveText(['A-1042', 'Shipped', 'DHL']);
	const broken = page.locator('[data-testid="widget"][data-widget-type="choice"]').nth(1);
	await expect(broken.getByTestId('widget-fallback')).toContainText('Options went missing');

	expect(errors).toEqual([]);

	// For people to look at: the widgets at phone width, light and dark; nothing wider than the screen.
	const folder = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(folder, { recursive: true });
	await page.setViewportSize({ width: 390, height: 1800 });
	await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await page.screenshot({ path: resolve(folder, 'widgets-phone.png'), fullPage: true });
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.screenshot({ path: resolve(folder, 'widgets-phone-dark.png'), fullPage: true });
});

test('choosing an option sends its label and the widget’s answer; the agent answers it, and the choice is kept', async ({ page }) => {
	// The support agent greets with a choice of topics.
	const chat = await chatWith(page, 'widgets-choice', 'support');
	await chat.send('Hello');
	await chat.waitForIdle();
	const topics = widgetsOf(page, 'choice');
	await expect(topics.getByRole('group', { name: 'What can we help you with?' })).toBeVisible();
	await expect(topics.getByRole('button', { name: 'My support plan' })).toHaveAccessibleDescription(
		'What your plan includes and how fast we answer'
	);

	const sent = nextChatRequest(page);
	await topics.getByRole('button', { name: 'Something else' }).click();
	const body = await sent;
	expect(body.messages).toHaveLength(1);
	expect(body.messages[0].role).toBe('user');
	expect(body.messages[0].parts).toEqual([
		{ type: 'text', text: 'Something else' },
		{ type: 'data-widget-submit', data: { widgetId: expect.any(String), type: 'choice', value: 'other' } }
	]);

	// The agent reads the value chosen: "other" has its own answer.
	await expect(chat.answers().nth(1)).toContainText('Of course: what would you like to know?');
	await chat.waitForIdle();
	const question = chat.questions().nth(1);
	await expect(question).toContainText('Something else');
	await expect(question.getByTestId('via-widget')).toHaveText('via widget');
	await expect(topics).toHaveAttribute('data-submitted', 'true');
	await expect(topics).toContainText('Chosen: Something else');
	await expect(topics.getByRole('button', { name: 'Something else' })).toHaveAttribute('aria-pressed', 'true');
	await expect(topics.getByRole('button', { name: 'My support plan' })).toBeDisabled();

	// The server kept the choice with the conversation.
	await page.reload();
	await expect(chat.questions()).toHaveCount(2);
	await expect(chat.answers().nth(1)).toContainText('Of course: what would you like to know?');
	await expect(topics).toContainText('Chosen: Something else');
	await expect(topics.getByRole('button', { name: 'Something else' })).toHaveAttribute('aria-pressed', 'true');
	await expect(topics.getByRole('button', { name: 'Open a ticket' })).toBeDisabled();
});

// Canned: no agent offers a choice of several options.
test('a choice of several sends the options checked, in their order', async ({ page }) => {
	const toppings = {
		question: 'Which toppings?',
		multiple: true,
		options: [
			{ value: 'cheese', label: 'Cheese' },
			{ value: 'olives', label: 'Olives' },
			{ value: 'basil', label: 'Basil' }
		]
	};
	const { canned } = await startChat(page, 'widgets-multiple', widget('w-toppings', 'choice', toppings));
	const toppingsWidget = widgetsOf(page, 'choice');
	const group = toppingsWidget.getByRole('group', { name: 'Which toppings?' });

	await toppingsWidget.getByRole('button', { name: 'Submit' }).click();
	await expect(toppingsWidget.getByRole('alert')).toHaveText('Choose at least one option.');
	expect(canned.requests).toHaveLength(1);

	await group.getByRole('checkbox', { name: 'Basil' }).check();
	await group.getByRole('checkbox', { name: 'Cheese' }).check();
	await expect(toppingsWidget.getByRole('alert')).toHaveCount(0);
	canned.answer('answer-2', text('t2', 'Cheese and basil it is.'));
	const sent = canned.nextRequest();
	await toppingsWidget.getByRole('button', { name: 'Submit' }).click();
	expect((await sent).messages.at(-1)?.parts).toEqual([
		{ type: 'text', text: 'Cheese, Basil' },
		{ type: 'data-widget-submit', data: { widgetId: 'w-toppings', type: 'choice', value: ['cheese', 'basil'] } }
	]);
	await expect(toppingsWidget).toContainText('Chosen: Cheese, Basil');
	await expect(group.getByRole('checkbox', { name: 'Olives' })).not.toBeChecked();
	await expect(group.getByRole('checkbox', { name: 'Olives' })).toBeDisabled();
	await expect(group.getByRole('checkbox', { name: 'Basil' })).toBeChecked();
});

// Canned: the one form an agent shows (support's contact form) answers a tool call and has text fields only.
test('a form outside a tool call checks its number field and sends the typed values in a message', async ({ page }) => {
	const { canned, chat } = await startChat(page, 'widgets-form', widget('w-form', 'form', form));
	const formWidget = widgetsOf(page, 'form');
	const name = formWidget.getByRole('textbox', { name: 'Name' });
	const guests = formWidget.getByRole('spinbutton', { name: 'Guests' });

	await name.fill('Ada');
	await formWidget.getByRole('textbox', { name: 'Email' }).fill('ada@example.com');
	await guests.fill('9');
	await formWidget.getByRole('button', { name: 'Submit' }).click();
	await expect(guests).toHaveAccessibleDescription('Enter 8 or less.');
	await expect(guests).toBeFocused();
	expect(canned.requests).toHaveLength(1);

	await guests.fill('3');
	await formWidget.getByRole('combobox', { name: 'Plan' }).selectOption('pro');
	await formWidget.getByRole('checkbox', { name: 'Send me news' }).check();
	canned.answer('answer-2', text('t2', 'Thanks, Ada.'));
	const sent = canned.nextRequest();
	await formWidget.getByRole('button', { name: 'Submit' }).click();
	const body = await sent;
	expect(body.messages.at(-1)?.parts).toEqual([
		{ type: 'text', text: 'Name: Ada, Email: ada@example.com, Guests: 3, Plan: pro, Send me news: yes' },
		{
			type: 'data-widget-submit',
			data: { widgetId: 'w-form', type: 'form', value: { name: 'Ada', email: 'ada@example.com', guests: 3, plan: 'pro', newsletter: true } }
		}
	]);

	await expect(chat.answers().nth(1)).toContainText('Thanks, Ada.');
	await expect(formWidget).toHaveAttribute('data-submitted', 'true');
	await expect(name).toHaveValue('Ada');
	await expect(name).toBeDisabled();
	await expect(guests).toHaveValue('3');
	await expect(formWidget.getByRole('checkbox', { name: 'Send me news' })).toBeChecked();
	await expect(formWidget.getByRole('checkbox', { name: 'Send me news' })).toBeDisabled();
	await expect(formWidget.getByRole('button', { name: 'Submit' })).toHaveCount(0);
});

// Canned: no agent shows products.
test('a product is sent as chosen, and the carousel shows the choice', async ({ page }) => {
	const { canned, chat } = await startChat(page, 'widgets-products', widget('w-products', 'product_carousel', products));
	const carousel = widgetsOf(page, 'product_carousel');

	canned.answer('answer-2', text('t2', 'The blue one it is.'));
	const sent = canned.nextRequest();
	await carousel.getByRole('button', { name: 'Choose Blue mug' }).click();
	expect((await sent).messages.at(-1)?.parts).toEqual([
		{ type: 'text', text: 'Blue mug' },
		{ type: 'data-widget-submit', data: { widgetId: 'w-products', type: 'product_carousel', value: { productId: 'mug-blue' } } }
	]);

	await expect(chat.answers().nth(1)).toContainText('The blue one it is.');
	await expect(carousel).toContainText('Chosen: Blue mug');
	await expect(carousel.getByRole('button', { name: 'Chosen Blue mug' })).toHaveAttribute('aria-pressed', 'true');
	await expect(carousel.getByRole('button', { name: 'Chosen Blue mug' })).toBeDisabled();
	await expect(carousel.getByRole('button', { name: 'Choose Red mug' })).toBeDisabled();
});

test('a form that answers a tool call checks its fields, then sends the object entered as the call’s output', async ({ page }) => {
	// An older widget first: the support agent's topics, answered.
	const chat = await chatWith(page, 'widgets-tool', 'support');
	await chat.send('Hello');
	const topics = widgetsOf(page, 'choice');
	await chat.waitForIdle();
	await topics.getByRole('button', { name: 'Something else' }).click();
	await expect(chat.answers().nth(1)).toContainText('Of course: what would you like to know?');
	await chat.waitForIdle();

	// Named in a message, the contact_form tool is called; its call shows the form, titled from its input.
	await chat.send('Please show the contact form reason="a late parcel"');
	const contact = widgetsOf(page, 'form');
	const fields = contact.getByRole('group', { name: 'How can we reach you? (a late parcel)' });
	await expect(fields).toBeVisible();
	await chat.waitForIdle();
	// The form gives the call's output: the tool card offers no second way.
	await expect(page.getByTestId('tool-call').filter({ hasText: 'contact_form' }).getByRole('textbox')).toHaveCount(0);

	const count = countChatRequests(page);
	const name = contact.getByRole('textbox', { name: 'Name' });
	const email = contact.getByRole('textbox', { name: 'Email' });
	const send = contact.getByRole('button', { name: 'Send details' });
	await send.click();
	await expect(contact.getByText('Name is required.')).toBeVisible();
	await expect(name).toHaveAttribute('aria-invalid', 'true');
	await expect(name).toHaveAccessibleDescription('Name is required.');
	await expect(name).toBeFocused();
	await email.fill('ada');
	await send.click();
	await expect(contact.getByText('Enter an email address such as name@example.com.')).toBeVisible();
	await name.fill('Ada');
	await expect(contact.getByText('Name is required.')).toHaveCount(0);
	expect(count()).toBe(0);

	await email.fill('ada@example.com');
	const sent = nextChatRequest(page);
	await send.click();
	const last = (await sent).messages.at(-1);
	expect(last?.role).toBe('assistant');
	expect(last?.parts.find((part) => part.type === 'tool-contact_form')).toMatchObject({
		state: 'output-available',
		output: { name: 'Ada', email: 'ada@example.com' }
	});
	expect(last?.parts.some((part) => part.type === 'data-widget-submit')).toBe(false);

	// The run goes on from the output: the same answer quotes it.
	const answer = chat.answers().nth(2);
	await expect(answer).toContainText('The contact_form tool returned: {"name":"Ada","email":"ada@example.com"}.');
	await chat.waitForIdle();
	expect(count()).toBe(1);
	await expect(chat.questions()).toHaveCount(3);
	await expect(contact).toHaveAttribute('data-submitted', 'true');
	await expect(name).toBeDisabled();
	// The older widget stays answered.
	await expect(topics).toContainText('Chosen: Something else');
	await expect(topics.getByRole('button', { name: 'My support plan' })).toBeDisabled();

	// The server kept the output with the call: after a reload the form shows what was sent.
	await page.reload();
	await expect(contact).toHaveAttribute('data-submitted', 'true');
	await expect(name).toHaveValue('Ada');
	await expect(email).toHaveValue('ada@example.com');
	await expect(name).toBeDisabled();
	await expect(chat.answers().nth(2)).toContainText('The contact_form tool returned: {"name":"Ada","email":"ada@example.com"}.');
	await expect(topics).toContainText('Chosen: Something else');
});

test('a widget submit continues the run', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('widgets-booking'), password);
	const chat = new ChatPage(page);
	await chat.pickAgent('appointment');
	await chat.send('Book an appointment');

	const picker = widgetsOf(page, 'appointment_picker');
	const slot = picker.getByRole('button').first();
	await chat.waitForIdle();
	await expect(slot).toBeEnabled();
	const label = (await slot.textContent())?.trim() ?? '';
	expect(label).toMatch(/^\w{3} \d{1,2} \w{3}, \d{2}:\d{2}$/);
	await slot.click();

	await expect(chat.questions().nth(1)).toContainText(label);
	await expect(chat.answers().nth(1).getByRole('paragraph').first()).toHaveText(/^Your appointment is booked for /);
	await chat.waitForIdle();
	await expect(picker).toContainText(`Chosen: ${label}`);

	// The answer is stored with the conversation: after a reload the picker still shows the time chosen.
	await page.reload();
	await expect(chat.answers().nth(1)).toContainText('Your appointment is booked for');
	await expect(picker).toContainText(`Chosen: ${label}`);
	await expect(picker.getByRole('button', { name: label })).toBeDisabled();
});
