import type { FullConfig } from '@playwright/test';
import { signUp } from './session';

/** The admin account of the e2e server: the first account to sign up (tests/playwright.config.ts). */
const e2eAdmin = {
	email: process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com',
	password: process.env.E2E_ADMIN_PASSWORD ?? 'admin password 123'
};

/**
 * Playwright's global setup, once the e2e server answers and before any test: signs the admin up.
 * The first account of an installation is its admin, so this is the account the admin pages'
 * tests log in to, made in a request rather than by the command line (a tsx start of its own).
 */
export default async function signUpAdmin(config: FullConfig): Promise<void> {
	const baseURL = config.projects[0]?.use.baseURL;
	if (!baseURL) throw new Error('The Playwright config sets no baseURL');
	const admin = await signUp(baseURL, e2eAdmin.email, e2eAdmin.password);
	const adminPage = await admin.fetch('/admin/users', { redirect: 'manual' });
	await adminPage.body?.cancel();
	if (adminPage.status !== 200) throw new Error(`${e2eAdmin.email} is not the admin: /admin/users answered ${adminPage.status}`);
}
