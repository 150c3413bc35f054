// Figure 6: the chat page in Chromium. How much JavaScript it loads (gzipped), and how a task of
// 500 messages opens: when its newest message is first painted in view, how many elements the
// page holds, and how scrolling back through it goes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/support/chromium.mjs';
import { signUp } from './client.mjs';
import { fmt, median, ROOT, sum, yesNo } from './util.mjs';

const VIEWPORT = { width: 1280, height: 720 };
/** gzip level for every script body: the smallest gzip a server could send. */
export const GZIP_LEVEL = 9;
const SHIKI_SOURCE = /(^|\/)(shiki|@shikijs\/[^/]+)\//;

/**
 * Sorts the client build's chunks using Vite's manifest (written next to the build in
 * .svelte-kit/output/client/.vite/manifest.json): which files belong to code highlighting
 * (shiki's core, engine, themes and grammars, and chunks only they import), and the name Vite
 * gave each file. Returns `undefined` when the manifest is missing.
 */
export function readClientManifest() {
	const path = join(ROOT, '.svelte-kit', 'output', 'client', '.vite', 'manifest.json');
	if (!existsSync(path)) return undefined;
	const manifest = JSON.parse(readFileSync(path, 'utf8'));
	const reach = (keys) => {
		const seen = new Set();
		const stack = [...keys];
		while (stack.length > 0) {
			const key = stack.pop();
			if (seen.has(key) || !manifest[key]) continue;
			seen.add(key);
			stack.push(...(manifest[key].imports ?? []));
		}
		return seen;
	};
	const keys = Object.keys(manifest);
	const shikiRoots = keys.filter((key) => SHIKI_SOURCE.test(key));
	const appRoots = keys.filter((key) => !SHIKI_SOURCE.test(key) && (manifest[key].isEntry || manifest[key].isDynamicEntry));
	const app = reach(appRoots);
	const highlighting = new Set();
	for (const key of reach(shikiRoots)) if (!app.has(key)) highlighting.add(manifest[key].file);
	const names = new Map(keys.map((key) => [manifest[key].file, nameOf(key, manifest[key])]));
	return { highlighting, names };
}

/** A readable name for a chunk: the package or source file it comes from, else Vite's name. */
function nameOf(key, entry) {
	const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(key);
	if (modules) return `${modules[1]}/${modules[2].replace(/^dist\//, '')}`;
	if (key.startsWith('.svelte-kit/generated/client-optimized/')) return key.slice('.svelte-kit/generated/client-optimized/'.length);
	return entry.name ?? key;
}

/**
 * Runs in the page before anything else: from the first frame on, checks in every frame whether
 * the newest message is in view (a rAF callback runs just before its frame is painted), records
 * the first such frame, and counts frames after it where the newest message was out of view.
 */
function watchNewest(expectedText) {
	const state = { firstInView: undefined, framesOutOfView: 0, frames: 0, stopped: false };
	window.__newestWatch = state;
	const inView = () => {
		const messages = document.querySelectorAll('[data-testid="message"]');
		const newest = messages[messages.length - 1];
		if (!newest || !newest.textContent?.includes(expectedText)) return false;
		const box = newest.getBoundingClientRect();
		return box.height > 0 && box.bottom > 0 && box.top < innerHeight;
	};
	const frame = () => {
		if (state.stopped) return;
		state.frames++;
		const visible = inView();
		if (visible && state.firstInView === undefined) state.firstInView = performance.now();
		else if (!visible && state.firstInView !== undefined) state.framesOutOfView++;
		requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
}

/**
 * In the page: scrolls the list up by `step` px a frame until it is at the top (at most `frames`
 * frames), timing each frame and counting the page's elements every few frames.
 */
async function scrollUpInFrames({ frames, step }) {
	const list = document.querySelector('section.messages');
	if (!list) throw new Error('no message list');
	const gaps = [];
	let maxElements = document.getElementsByTagName('*').length;
	let last = await new Promise(requestAnimationFrame);
	for (let index = 0; index < frames && list.scrollTop > 0; index++) {
		list.scrollTop -= step;
		const now = await new Promise(requestAnimationFrame);
		gaps.push(now - last);
		last = now;
		if (index % 5 === 0) maxElements = Math.max(maxElements, document.getElementsByTagName('*').length);
	}
	maxElements = Math.max(maxElements, document.getElementsByTagName('*').length);
	const firstShown = [...document.querySelectorAll('[data-testid="message"]')].some((element) =>
		element.textContent?.includes('Question 1 of ')
	);
	return { gaps, maxElements, atTop: list.scrollTop === 0, firstShown };
}

/**
 * Figure 6 on a running Parley server: signs a user up, writes a task of `pairs` questions and
 * answers for them straight into the server's database, then opens `/chat/<id>` `loads` times in
 * Chromium, each in a fresh browser context (nothing cached), after one load that is not counted.
 */
export async function figure6({ server, pairs = 250, loads, scrollFrames, scrollStep }) {
	const { chromium } = await import('playwright-core');
	// The seeding helper is TypeScript, shared with the e2e tests; tsx loads it on any Node.
	const { tsImport } = await import('tsx/esm/api');
	const { seedLongTask } = await tsImport('../../tests/support/long-task.ts', import.meta.url);
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('Figure 6 needs Chromium: apt-get install -y chromium, or set CHROMIUM_PATH.');

	const email = `bench-chat-${Math.random().toString(36).slice(2, 8)}@example.com`;
	const { cookie } = await signUp(server.baseURL, email);
	const task = await seedLongTask({ databaseUrl: `file:${server.dbPath}`, email, pairs });
	const url = `${server.baseURL}/chat/${task.taskId}`;
	const [name, value] = [cookie.slice(0, cookie.indexOf('=')), cookie.slice(cookie.indexOf('=') + 1)];
	const manifest = readClientManifest();

	const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
	try {
		const openPage = async () => {
			const context = await browser.newContext({ viewport: VIEWPORT });
			await context.addCookies([{ name, value, url: server.baseURL }]);
			const page = await context.newPage();
			await page.addInitScript(watchNewest, task.lastAnswer);
			return { context, page };
		};

		/** One load: the scripts it fetched, its paint times and the elements it holds. */
		const load = async ({ scroll }) => {
			const { context, page } = await openPage();
			/** Script responses by URL: a module preloaded and then imported is one file. */
			const scripts = new Map();
			let html;
			page.on('response', (response) => {
				const type = response.request().resourceType();
				if (type === 'script' || new URL(response.url()).pathname.endsWith('.js')) scripts.set(response.url(), response);
				if (type === 'document') html = response;
			});
			try {
				await page.goto(url, { waitUntil: 'networkidle' });
				const measured = await page.evaluate(() => {
					const watch = window.__newestWatch;
					watch.stopped = true;
					const paint = performance.getEntriesByName('first-contentful-paint')[0];
					const navigation = performance.getEntriesByType('navigation')[0];
					return {
						firstContentfulPaintMs: paint?.startTime ?? NaN,
						firstInViewMs: watch.firstInView ?? NaN,
						framesOutOfView: watch.framesOutOfView,
						frames: watch.frames,
						domContentLoadedMs: navigation?.domContentLoadedEventEnd ?? NaN,
						loadMs: navigation?.loadEventEnd ?? NaN,
						elements: document.getElementsByTagName('*').length,
						messagesInPage: document.querySelectorAll('[data-testid="message"]').length
					};
				});
				const bodies = await Promise.all(
					[...scripts.values()].map(async (response) => {
						const body = await response.body().catch(() => Buffer.alloc(0));
						const path = new URL(response.url()).pathname.replace(/^\//, '');
						return {
							path,
							name: manifest?.names.get(path) ?? path,
							onDemand: manifest?.highlighting.has(path) ?? false,
							bytes: body.length,
							gzipBytes: gzipSync(body, { level: GZIP_LEVEL }).length
						};
					})
				);
				const htmlBody = html ? await html.body() : Buffer.alloc(0);
				const scrolled = scroll ? await page.evaluate(scrollUpInFrames, { frames: scrollFrames, step: scrollStep }) : undefined;
				return {
					...measured,
					// The first paint that shows the newest message: not before the first paint at all.
					newestPaintMs: Math.max(measured.firstContentfulPaintMs, measured.firstInViewMs),
					scripts: bodies,
					htmlBytes: htmlBody.length,
					htmlGzipBytes: gzipSync(htmlBody, { level: GZIP_LEVEL }).length,
					scrolled
				};
			} finally {
				await context.close();
			}
		};

		await load({ scroll: false }); // warm-up: the server's first render of this page, not counted
		const results = [];
		for (let index = 0; index < loads; index++) results.push(await load({ scroll: index === 0 }));

		const first = results[0];
		const counted = first.scripts.filter((script) => !script.onDemand);
		const onDemand = first.scripts.filter((script) => script.onDemand);
		const gaps = first.scrolled?.gaps ?? [];
		return {
			taskMessages: task.messageCount,
			loads,
			manifestFound: Boolean(manifest),
			gzipLevel: GZIP_LEVEL,
			scripts: first.scripts.sort((a, b) => b.gzipBytes - a.gzipBytes),
			jsGzipBytes: sum(counted.map((script) => script.gzipBytes)),
			jsBytes: sum(counted.map((script) => script.bytes)),
			jsFiles: counted.length,
			onDemandGzipBytes: sum(onDemand.map((script) => script.gzipBytes)),
			onDemandFiles: onDemand.length,
			htmlBytes: first.htmlBytes,
			htmlGzipBytes: first.htmlGzipBytes,
			newestPaintMedianMs: median(results.map((result) => result.newestPaintMs)),
			newestPaintMaxMs: Math.max(...results.map((result) => result.newestPaintMs)),
			firstContentfulPaintMedianMs: median(results.map((result) => result.firstContentfulPaintMs)),
			loadMedianMs: median(results.map((result) => result.loadMs)),
			elementsMedian: median(results.map((result) => result.elements)),
			elementsMax: Math.max(...results.map((result) => result.elements)),
			messagesInPage: median(results.map((result) => result.messagesInPage)),
			framesOutOfViewMax: Math.max(...results.map((result) => result.framesOutOfView)),
			scroll: first.scrolled && {
				frames: gaps.length,
				step: scrollStep,
				longestFrameMs: Math.max(...gaps),
				framesOver50Ms: gaps.filter((gap) => gap > 50).length,
				medianFrameMs: median(gaps),
				maxElements: first.scrolled.maxElements,
				reachedTop: first.scrolled.atTop && first.scrolled.firstShown
			},
			perLoad: results.map(({ scripts, scrolled, ...rest }) => rest)
		};
	} finally {
		await browser.close();
	}
}

/** Figure 6's rows for one run (`tag` follows every name): [figure, value, budget, within]. */
export function figure6Rows(f, tag, settings) {
	const kb = (bytes) => fmt(bytes / 1000, 1);
	const ms = (value) => fmt(value, 0);
	const jsWithin = f.jsGzipBytes < settings.fig6JsBudgetKB * 1000;
	const paintWithin = f.newestPaintMedianMs < settings.fig6NewestPaintBudgetMs;
	const elementsWithin = f.elementsMax < settings.fig6ElementsBudget;
	const rows = [
		[
			`chat page JS, gzipped (KB)${tag}`,
			kb(f.jsGzipBytes),
			`< ${settings.fig6JsBudgetKB} KB`,
			`${yesNo(jsWithin)} (${kb(f.jsGzipBytes)} KB)`
		],
		[`  scripts counted · their raw size (KB)${tag}`, `${f.jsFiles} · ${kb(f.jsBytes)}`, '—', '—'],
		[`  code highlighting on demand, gzipped (KB)${tag}`, `${kb(f.onDemandGzipBytes)} (${f.onDemandFiles} files)`, 'excluded', '—'],
		[
			`${f.taskMessages}-message task: newest message painted in view, median (ms)${tag}`,
			ms(f.newestPaintMedianMs),
			`< ${fmt(settings.fig6NewestPaintBudgetMs, 0)} ms`,
			`${yesNo(paintWithin)} (${ms(f.newestPaintMedianMs)} ms)`
		],
		[`  slowest of ${f.loads} loads (ms)${tag}`, ms(f.newestPaintMaxMs), '—', '—'],
		[`  first contentful paint, median (ms)${tag}`, ms(f.firstContentfulPaintMedianMs), '—', '—'],
		[`  load event end, median (ms)${tag}`, ms(f.loadMedianMs), '—', '—'],
		[`  frames with the newest message out of view after it showed (worst load)${tag}`, String(f.framesOutOfViewMax), '—', '—'],
		[
			`elements in the page after load (worst load)${tag}`,
			String(f.elementsMax),
			`< ${fmt(settings.fig6ElementsBudget, 0)}`,
			`${yesNo(elementsWithin)} (${f.elementsMax})`
		],
		[`  messages in the page${tag}`, `${f.messagesInPage} of ${f.taskMessages}`, '—', '—'],
		[`  page HTML, raw · gzipped (KB)${tag}`, `${kb(f.htmlBytes)} · ${kb(f.htmlGzipBytes)}`, '—', '—']
	];
	if (f.scroll) {
		rows.push(
			[
				`scroll to the first message, ${f.scroll.step} px a frame: frames · reached it${tag}`,
				`${f.scroll.frames} · ${f.scroll.reachedTop ? 'yes' : 'no'}`,
				'—',
				'—'
			],
			[`  frame time, median · longest (ms)${tag}`, `${fmt(f.scroll.medianFrameMs, 1)} · ${fmt(f.scroll.longestFrameMs, 1)}`, '—', '—'],
			[`  frames over 50 ms${tag}`, String(f.scroll.framesOver50Ms), '—', '—'],
			[
				`  elements in the page while scrolling (max)${tag}`,
				String(f.scroll.maxElements),
				`< ${fmt(settings.fig6ElementsBudget, 0)}`,
				`${yesNo(f.scroll.maxElements < settings.fig6ElementsBudget)} (${f.scroll.maxElements})`
			]
		);
	}
	return rows;
}
