import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// `npm install` warns (EBADENGINE) about every installed package whose `engines` range leaves out
// the Node or npm it runs on. Checking each locked package against the oldest versions Parley
// claims to support (package.json `engines`, as the README says) keeps that warning from coming
// back unnoticed with an update.

const root = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { engines: Record<string, string> };

interface LockedPackage {
	version?: string;
	optional?: boolean;
	engines?: Record<string, string> | string[];
}

const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
	packages: Record<string, LockedPackage>;
};

/**
 * The locked packages whose `engines[tool]` range leaves out `version`, as `path@version wants
 * tool range`. Optional packages are left out: npm skips one that does not fit, silently.
 */
function misfits(packages: Record<string, LockedPackage>, tool: 'node' | 'npm', version: string): string[] {
	return Object.entries(packages).flatMap(([path, entry]) => {
		if (path === '' || entry.optional) return [];
		const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines[tool] : undefined;
		if (!range || semver.satisfies(version, range)) return [];
		return [`${path}@${entry.version} wants ${tool} ${range}`];
	});
}

/** The oldest version a package.json `engines` range allows. */
const oldest = (tool: 'node' | 'npm') => semver.minVersion(manifest.engines[tool])?.version ?? 'none';

describe('engines of the installed packages', () => {
	it('package.json names the oldest Node and npm the README names', () => {
		expect(oldest('node')).toBe('20.19.0');
		expect(oldest('npm')).toBe('10.0.0');
		const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
		expect(readme).toContain('Node.js 20.19 or newer and npm 10 or newer');
	});

	it('every locked package runs on the oldest Node of package.json engines', () => {
		expect(misfits(lock.packages, 'node', oldest('node'))).toEqual([]);
	});

	it('every locked package runs on the oldest npm of package.json engines', () => {
		expect(misfits(lock.packages, 'npm', oldest('npm'))).toEqual([]);
	});

	it('reports a package that wants a newer Node, and not an optional one npm would skip', () => {
		const packages: Record<string, LockedPackage> = {
			'': { engines: { node: '>=20.19' } },
			'node_modules/assistant-stream/node_modules/nanoid': { version: '6.0.2', engines: { node: '^22 || ^24 || >=26' } },
			'node_modules/@napi-rs/lzma-linux-x64-gnu': { version: '1.5.1', optional: true, engines: { node: '^22.20 || ^24.12 || >=25' } },
			'node_modules/nanoid': { version: '3.3.20', engines: { node: '^10 || ^12 || ^13.7 || ^14 || >=15.0.1' } },
			'node_modules/old': { version: '1.0.0', engines: ['node >= 0.8'] }
		};
		expect(misfits(packages, 'node', '20.19.0')).toEqual([
			'node_modules/assistant-stream/node_modules/nanoid@6.0.2 wants node ^22 || ^24 || >=26'
		]);
	});
});
