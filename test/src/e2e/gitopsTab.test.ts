import fs from 'fs';
import path from 'path';
import { Browser } from 'playwright-core';
import { RunningBackend, startBackend } from './lib/backend';
import { launchChromium, screenshotDir } from './lib/browser';

jest.setTimeout(240_000);

describe('the GitOps tab in the running app', () => {
  let backend: RunningBackend;
  let browser: Browser;

  beforeAll(async () => {
    backend = await startBackend();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  it('shows the application of an annotated component, after guest sign-in', async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    await page.goto(`${backend.baseUrl}/catalog/default/component/guestbook`);
    await page.getByRole('button', { name: 'Enter' }).click();

    // Entity tabs are links; the catalog ingests the examples shortly after start.
    const tab = page.getByRole('link', { name: 'GitOps', exact: true });
    for (let attempt = 1; ; attempt++) {
      try {
        await tab.waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        if (attempt === 12) throw error;
        await page.reload();
      }
    }
    await tab.click();
    await page.waitForURL(/\/gitops$/);

    await page.getByText('GitOps application').waitFor();
    await page
      .getByRole('link', { name: /argocd-example-apps\.git/ })
      .waitFor();
    await page.getByText('guestbook', { exact: true }).first().waitFor();
    expect(await page.getByText('Not reconciled yet').count()).toBe(2);

    fs.mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, 'gitops-tab.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });

  it('shows no GitOps tab on a component without the annotations', async () => {
    const page = await browser.newPage();
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/example-website`,
    );
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('link', { name: 'Overview', exact: true }).waitFor();
    expect(
      await page.getByRole('link', { name: 'GitOps', exact: true }).count(),
    ).toBe(0);
  });
});
