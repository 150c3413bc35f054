import { browser } from '$app/environment';

/**
 * The cookie that remembers the wide-screen sidebar's state in this browser, so that the server
 * renders the page as it was left. Read by the chat pages' loads.
 */
export const SIDEBAR_COOKIE = 'parley_sidebar';

/** Below this width the sidebar is a drawer over the chat. */
export const DRAWER_QUERY = '(max-width: 767px)';

/**
 * Whether the sidebar shows: collapsed or not on wide screens (remembered in a cookie), open
 * or not as a drawer on phones (closed on every page).
 */
class SidebarState {
	collapsed = $state(browser && document.cookie.split('; ').includes(`${SIDEBAR_COOKIE}=collapsed`));
	drawerOpen = $state(false);
	/** Asks the sidebar to move the focus into it once it shows: to its search box, or its first control. */
	focusRequest = $state<{ target: 'search' | 'first'; count: number }>({ target: 'first', count: 0 });

	/** Whether the screen is narrow enough for the drawer. */
	isDrawer(): boolean {
		return browser && matchMedia(DRAWER_QUERY).matches;
	}

	/** Whether the sidebar is visible now. */
	get visible(): boolean {
		return this.isDrawer() ? this.drawerOpen : !this.collapsed;
	}

	/** Shows or hides the sidebar: the drawer on phones, the column elsewhere. */
	toggle(): void {
		if (this.isDrawer()) {
			this.drawerOpen = !this.drawerOpen;
			// An opened drawer covers the page: the focus goes into it.
			if (this.drawerOpen) this.focusRequest = { target: 'first', count: this.focusRequest.count + 1 };
		} else this.setCollapsed(!this.collapsed);
	}

	/** Shows the sidebar and focuses its search. */
	showSearch(): void {
		if (this.isDrawer()) this.drawerOpen = true;
		else this.setCollapsed(false);
		this.focusRequest = { target: 'search', count: this.focusRequest.count + 1 };
	}

	setCollapsed(collapsed: boolean): void {
		this.collapsed = collapsed;
		document.cookie = `${SIDEBAR_COOKIE}=${collapsed ? 'collapsed' : 'open'}; path=/; max-age=31536000; samesite=lax`;
	}
}

/** The sidebar's state, one per browser tab. */
export const sidebarState = new SidebarState();
