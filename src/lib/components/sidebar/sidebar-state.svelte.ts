import { browser } from '$app/environment';

/** Where the desktop sidebar's collapsed state is remembered. */
const STORAGE_KEY = 'parley.sidebar.collapsed';

/** Below this width the sidebar is a drawer over the chat. */
export const DRAWER_QUERY = '(max-width: 767px)';

/**
 * Whether the sidebar shows: collapsed or not on wide screens (remembered in this browser), open
 * or not as a drawer on phones (closed on every page).
 */
class SidebarState {
	collapsed = $state(browser && localStorage.getItem(STORAGE_KEY) === '1');
	drawerOpen = $state(false);
	/** Asks the sidebar to focus its search box once it shows. */
	focusSearchRequest = $state(0);

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
		if (this.isDrawer()) this.drawerOpen = !this.drawerOpen;
		else this.setCollapsed(!this.collapsed);
	}

	/** Shows the sidebar and focuses its search. */
	showSearch(): void {
		if (this.isDrawer()) this.drawerOpen = true;
		else this.setCollapsed(false);
		this.focusSearchRequest++;
	}

	setCollapsed(collapsed: boolean): void {
		this.collapsed = collapsed;
		try {
			localStorage.setItem(STORAGE_KEY, collapsed ? '1' : '0');
		} catch {
			// Storage refused (private mode): remembered for this page only.
		}
	}
}

/** The sidebar's state, one per browser tab. */
export const sidebarState = new SidebarState();
