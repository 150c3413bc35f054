#!/usr/bin/env node
// Summarises a V8 .cpuprofile (as written by `npm run bench -- --profile`): where the CPU time
// went by package or file, and the top functions by self and by inclusive time.
//
//   node bench/profile-summary.mjs test-results/bench-profile/parley [top=25]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [input, topArg] = process.argv.slice(2);
if (!input) {
	console.error('usage: node bench/profile-summary.mjs <file.cpuprofile | folder> [top]');
	process.exit(1);
}
const top = Number(topArg) || 25;
// A folder holds one profile per thread: the main thread's is the largest.
const file = statSync(input).isDirectory()
	? readdirSync(input)
			.filter((name) => name.endsWith('.cpuprofile'))
			.map((name) => join(input, name))
			.sort((a, b) => statSync(b).size - statSync(a).size)[0]
	: input;
if (!file) {
	console.error(`no .cpuprofile in ${input}`);
	process.exit(1);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** Which package or area a script belongs to. */
function areaOf(url) {
	if (!url) return '(native / V8)';
	if (url.startsWith('node:')) return url.replace(/^node:internal\/(?:[^/]+\/)?/, 'node:').split('/')[0];
	const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (modules) return modules[1];
	const build = /\/build\/(.*)$/.exec(url);
	if (build) return `build/${build[1]}`;
	const src = /\/(src|bench)\/(.*)$/.exec(url);
	if (src) return `${src[1]}/${src[2]}`;
	return url;
}
const keyOf = (frame) => `${frame.functionName || '(anonymous)'}  ${areaOf(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;

const self = new Map();
const inclusive = new Map();
const areas = new Map();
let total = 0;
const add = (map, key, value) => map.set(key, (map.get(key) ?? 0) + value);
for (let index = 0; index < profile.samples.length; index++) {
	const dt = (profile.timeDeltas[index] ?? 0) / 1000; // ms
	total += dt;
	const leaf = byId.get(profile.samples[index]);
	add(self, keyOf(leaf.callFrame), dt);
	add(areas, areaOf(leaf.callFrame.url) + (leaf.callFrame.url ? '' : ` ${leaf.callFrame.functionName}`), dt);
	const seen = new Set();
	for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
		const key = keyOf(byId.get(id).callFrame);
		if (!seen.has(key)) {
			seen.add(key);
			add(inclusive, key, dt);
		}
	}
}

const print = (title, map, count) => {
	console.log(`\n${title}`);
	for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
		console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
	}
};
console.log(`${file}: ${total.toFixed(0)} ms sampled`);
print('Self time by area', areas, 20);
print('Top functions by self time', self, top);
print('Top functions by inclusive time', inclusive, top);
