// Small helpers over the VS Code 1.100 workbench DOM (selectors from ../shared/e2e/RECIPE.md).
import { Locator, Page } from 'playwright-core';

export const SELECTORS = {
  workbench: '.monaco-workbench .part.activitybar',
  activityIcon: (title: string) => `.activitybar a.action-label[aria-label^="${title}"]`,
  container: (id: string) => `[id="workbench.view.extension.${id}"]`,
  row: '.monaco-list-row[role="treeitem"]',
  label: '.label-name',
  description: '.label-description',
  quickInput: '.quick-input-widget input',
  quickInputRow: '.quick-input-list .monaco-list-row',
  notification: '.notifications-toasts .notification-list-item-message',
};

/** The pane of one view inside a view container, found by its header ("Nomad Section"). */
export function pane(page: Page, viewName: string): Locator {
  // The header's aria-label gains the view's description ("live", "polling 5 s"): match its title instead.
  return page.locator('.pane', { has: page.locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(viewName)}$`, 'i') }) }) });
}

/** The tree row whose label is exactly `label`, inside a pane. */
export function row(scope: Locator, label: string): Locator {
  return scope.locator(SELECTORS.row, { has: scope.page().locator(SELECTORS.label, { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
}

export async function rowDescription(rowLocator: Locator): Promise<string> {
  return (await rowLocator.locator(SELECTORS.description).first().textContent())?.trim() ?? '';
}

/** Expands or collapses a view's pane (its header toggles; this sets it, whatever it was). */
export async function setPaneExpanded(page: Page, viewName: string, expanded: boolean): Promise<void> {
  const header = pane(page, viewName).locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
}

/** Clicks a view's title action (shown on hover), e.g. "Refresh Nomad". */
export async function clickViewAction(page: Page, viewName: string, action: string): Promise<void> {
  const header = pane(page, viewName).locator('.pane-header');
  await header.hover();
  await header.locator(`a.action-label[aria-label="${action}"]`).click();
}

/** Closes an editor by its tab's close button (keys may go to a webview or media frame, not the workbench). */
export async function closeTab(page: Page, title: string): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
  await tab.hover();
  await tab.locator('.codicon-close').click();
  await tab.waitFor({ state: 'detached' });
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator(SELECTORS.quickInput);
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator(SELECTORS.quickInputRow, { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
