import { describe, expect, it } from 'vitest';
import { chatShortcutOf } from './chat-shortcuts';

const press = (key: string, extra: Partial<KeyboardEvent> = {}) => ({
	key,
	ctrlKey: false,
	metaKey: false,
	shiftKey: false,
	altKey: false,
	defaultPrevented: false,
	...extra
});
const nothingOpen = () => false;

describe('chatShortcutOf', () => {
	it('maps Ctrl+K and Cmd+K to the search, Ctrl/Cmd+Shift+O to a new chat', () => {
		expect(chatShortcutOf(press('k', { ctrlKey: true }), nothingOpen)).toBe('search');
		expect(chatShortcutOf(press('k', { metaKey: true }), nothingOpen)).toBe('search');
		expect(chatShortcutOf(press('O', { ctrlKey: true, shiftKey: true }), nothingOpen)).toBe('newChat');
		expect(chatShortcutOf(press('o', { metaKey: true, shiftKey: true }), nothingOpen)).toBe('newChat');
	});

	it('leaves plain letters and other combinations alone', () => {
		expect(chatShortcutOf(press('k'), nothingOpen)).toBeNull();
		expect(chatShortcutOf(press('o', { ctrlKey: true }), nothingOpen)).toBeNull();
		expect(chatShortcutOf(press('k', { ctrlKey: true, altKey: true }), nothingOpen)).toBeNull();
	});

	it('stops on Escape only when nothing handled it and no menu or dialog is open', () => {
		expect(chatShortcutOf(press('Escape'), nothingOpen)).toBe('stop');
		expect(chatShortcutOf(press('Escape', { defaultPrevented: true }), nothingOpen)).toBeNull();
		expect(chatShortcutOf(press('Escape'), () => true)).toBeNull();
	});
});
