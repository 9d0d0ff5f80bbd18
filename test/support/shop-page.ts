import { expect, type Page } from '@playwright/test';

function mainNavigation(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Submits the login form and waits for the page the login redirects to. */
export async function logIn(page: Page, { email, password }: { email: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  // The server confirms the login even in the modes that forget it at once.
  await expect(page.getByText(`Logged in as ${email}.`)).toBeVisible();
}

export async function expectLoggedInAs(page: Page, email: string) {
  const navigation = mainNavigation(page);
  const user = navigation.locator('[data-logged-in-as]');
  await expect(user).toHaveAttribute('data-logged-in-as', email);
  await expect(user).toHaveText(email);
  await expect(navigation.getByRole('button', { name: 'Logout' })).toBeVisible();
}

export async function expectLoggedOut(page: Page) {
  const navigation = mainNavigation(page);
  await expect(navigation.getByRole('link', { name: 'Login' })).toBeVisible();
  await expect(navigation.getByRole('button', { name: 'Logout' })).toHaveCount(0);
}
