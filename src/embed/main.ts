/**
 * `widget.js`: defines `<parley-chat>` on the page that loads it. Added with one tag:
 * `<script src="https://parley.example.com/widget.js" defer></script>`, then
 * `<parley-chat agent="support"></parley-chat>` anywhere on the page.
 */
import ParleyChat from './ParleyChat.svelte';
import { serverBase } from './chat-client';
import { setDefaultServer } from './default-server';

const TAG = 'parley-chat';

/** Where this script was loaded from: its server is the default one. */
function scriptSource(): string | undefined {
	const current = document.currentScript;
	if (current instanceof HTMLScriptElement && current.src) return current.src;
	const scripts = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]');
	return scripts[scripts.length - 1]?.src;
}

const source = scriptSource();
setDefaultServer(source ? serverBase(new URL('.', source).href) : serverBase(location.origin));

// A page that loads the script twice keeps the first definition.
if (!customElements.get(TAG)) {
	customElements.define(TAG, (ParleyChat as unknown as { element: CustomElementConstructor }).element);
}
