import { describe, expect, it } from 'vitest';
import type { SidebarTask } from '$lib/server/task-list/task-list-event';
import { withFirstPage, withTask } from './task-list-changes';

const task = (id: string, updatedAt: number, extra: Partial<SidebarTask> = {}): SidebarTask => ({
	id,
	title: id,
	status: 'active',
	agentSlug: 'assistant',
	agentName: 'Assistant',
	createdAt: updatedAt,
	updatedAt,
	running: false,
	...extra
});
const ids = (items: SidebarTask[]) => items.map((item) => item.id);

describe('withTask', () => {
	const list = [task('c', 30), task('b', 20), task('a', 10)];

	it('puts a new task first and moves a changed one to its new place', () => {
		expect(ids(withTask(list, task('d', 40), false))).toStrictEqual(['d', 'c', 'b', 'a']);
		expect(ids(withTask(list, task('a', 50, { title: 'renamed' }), false))).toStrictEqual(['a', 'c', 'b']);
		expect(withTask(list, task('b', 20, { title: 'renamed' }), true)[1].title).toBe('renamed');
	});

	it('drops an archived task', () => {
		expect(ids(withTask(list, task('b', 20, { status: 'archived' }), true))).toStrictEqual(['c', 'a']);
	});

	it('leaves a task older than everything loaded to its page, unless the list is complete', () => {
		expect(ids(withTask(list, task('z', 5), false))).toStrictEqual(['c', 'b', 'a']);
		expect(ids(withTask(list, task('z', 5), true))).toStrictEqual(['c', 'b', 'a', 'z']);
	});
});

describe('withFirstPage', () => {
	it('keeps the older pages already loaded after a fresh first page', () => {
		const loaded = [task('c', 30), task('b', 20), task('a', 10)];
		const page = [task('d', 40), task('c', 35)];
		expect(ids(withFirstPage(loaded, page, false))).toStrictEqual(['d', 'c', 'b', 'a']);
		expect(ids(withFirstPage(loaded, page, true))).toStrictEqual(['d', 'c']);
	});
});
