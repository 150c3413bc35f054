// Figure 9: the chat sidebar in Chromium. A user with thousands of tasks opens `/`: when the
// sidebar's first chat is painted, how many elements the page holds, and how paging in more chats
// on scroll keeps that number down.
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/support/chromium.mjs';
import { signUp } from './client.mjs';
import { fmt, median, yesNo } from './util.mjs';

const VIEWPORT = { width: 1280, height: 720 };

/** Runs in the page before anything else: records the first frame in which a sidebar chat shows. */
function watchSidebar() {
	const state = { firstRowMs: undefined, stopped: false };
	window.__sidebarWatch = state;
	const frame = () => {
		if (state.stopped) return;
		const row = document.querySelector('[data-testid="sidebar-task"]');
		const box = row?.getBoundingClientRect();
		if (box && box.height > 0 && box.top < innerHeight && state.firstRowMs === undefined) {
			state.firstRowMs = performance.now();
			return;
		}
		requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
}

/**
 * Figure 9 on a running Parley server: signs a user up, writes `tasks` tasks for them, then opens
 * `/` `loads` times in fresh browser contexts (after one load not counted). The first counted load
 * also scrolls the sidebar to its end `scrolls` times, each time waiting for the next page.
 */
export async function figure9({ server, tasks = 2000, loads = 5, scrolls = 5 }) {
	const { chromium } = await import('playwright-core');
	// The seeding helper is TypeScript, shared with the e2e tests; tsx loads it on any Node.
	const { tsImport } = await import('tsx/esm/api');
	const { seedTasks } = await tsImport('../../tests/support/many-tasks.ts', import.meta.url);
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('Figure 9 needs Chromium: apt-get install -y chromium, or set CHROMIUM_PATH.');
	const email = `bench-sidebar-${Math.random().toString(36).slice(2, 8)}@example.com`;
	const { cookie } = await signUp(server.baseURL, email);
	await seedTasks({ databaseUrl: `file:${server.dbPath}`, email, count: tasks, playgroundEvery: 10 });
	const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];

	const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
	try {
		const load = async ({ scroll }) => {
			const context = await browser.newContext({ viewport: VIEWPORT });
			await context.addCookies([{ name, value, url: server.baseURL }]);
			const page = await context.newPage();
			await page.addInitScript(watchSidebar);
			try {
				await page.goto(`${server.baseURL}/`, { waitUntil: 'networkidle' });
				const measured = await page.evaluate(() => {
					window.__sidebarWatch.stopped = true;
					return {
						firstRowMs: window.__sidebarWatch.firstRowMs ?? NaN,
						elements: document.getElementsByTagName('*').length,
						rows: document.querySelectorAll('[data-testid="sidebar-task"]').length
					};
				});
				const paged = [];
				if (scroll) {
					const rows = page.locator('[data-testid="sidebar-task"]');
					for (let index = 0; index < scrolls; index++) {
						const before = await rows.count();
						await rows.last().scrollIntoViewIfNeeded();
						await page.waitForFunction((count) => document.querySelectorAll('[data-testid="sidebar-task"]').length > count, before, {
							timeout: 10_000
						});
						paged.push(
							await page.evaluate(() => ({
								rows: document.querySelectorAll('[data-testid="sidebar-task"]').length,
								elements: document.getElementsByTagName('*').length
							}))
						);
					}
				}
				return { ...measured, paged };
			} finally {
				await context.close();
			}
		};

		await load({ scroll: false }); // warm-up, not counted
		const results = [];
		for (let index = 0; index < loads; index++) results.push(await load({ scroll: index === 0 }));
		const paged = results[0].paged;
		return {
			tasks,
			loads,
			firstRowMedianMs: median(results.map((result) => result.firstRowMs)),
			firstRowMaxMs: Math.max(...results.map((result) => result.firstRowMs)),
			elementsMax: Math.max(...results.map((result) => result.elements)),
			rowsOnLoad: results[0].rows,
			scrolls: paged.length,
			rowsAfterScrolls: paged.at(-1)?.rows ?? results[0].rows,
			elementsAfterScrolls: paged.at(-1)?.elements ?? results[0].elements
		};
	} finally {
		await browser.close();
	}
}

/** Figure 9's rows for one run (`tag` follows every name): [figure, value, budget, within]. */
export function figure9Rows(f, tag, settings) {
	const paintWithin = f.firstRowMedianMs < settings.fig9FirstRowBudgetMs;
	const elementsWithin = f.elementsMax < settings.fig9ElementsBudget;
	return [
		[
			`first sidebar chat painted, median (ms)${tag}`,
			fmt(f.firstRowMedianMs, 0),
			`< ${fmt(settings.fig9FirstRowBudgetMs, 0)} ms`,
			`${yesNo(paintWithin)} (${fmt(f.firstRowMedianMs, 0)} ms)`
		],
		[`  slowest of ${f.loads} loads (ms)${tag}`, fmt(f.firstRowMaxMs, 0), '—', '—'],
		[
			`elements in the page after load (worst load)${tag}`,
			String(f.elementsMax),
			`< ${fmt(settings.fig9ElementsBudget, 0)}`,
			`${yesNo(elementsWithin)} (${f.elementsMax})`
		],
		[`  chats in the sidebar after load${tag}`, `${f.rowsOnLoad} of ${f.tasks}`, '—', '—'],
		[`  after ${f.scrolls} pages scrolled in: chats · elements${tag}`, `${f.rowsAfterScrolls} · ${f.elementsAfterScrolls}`, '—', '—']
	];
}
