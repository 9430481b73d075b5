import { Locator, Page } from 'playwright-core';

/**
 * The application's overview card on the GitOps tab (its sync status, health
 * and revision); the tabs below it repeat those words per resource.
 */
export function overview(page: Page): Locator {
  return page.locator('[class*="MuiCard-root"]').first();
}
