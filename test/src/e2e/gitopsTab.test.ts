import fs from 'fs';
import path from 'path';
import { Browser } from 'playwright-core';
import os from 'os';
import { RunningBackend, repoRoot, startBackend } from './lib/backend';
import { overview } from './lib/overview';
import {
  launchChromium,
  screenshotDir,
  screenshotOnFailure,
} from './lib/browser';
import { startDevGitServer } from './lib/devGitServer';

jest.setTimeout(240_000);

describe('the GitOps tab in the running app', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let gitServer: Awaited<ReturnType<typeof startDevGitServer>>;

  beforeAll(async () => {
    // The app as scripts/start.sh runs it: the example apps served over Git,
    // reconciled into the test cluster. The examples' fixed port is swapped
    // for a free one so a running dev instance cannot clash.
    gitServer = await startDevGitServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-e2e-catalog-'));
    const entities = path.join(dir, 'entities.yaml');
    fs.writeFileSync(
      entities,
      fs
        .readFileSync(path.join(repoRoot, 'examples/entities.yaml'), 'utf8')
        .replace('http://127.0.0.1:7008/apps.git', gitServer.url),
    );
    backend = await startBackend({
      catalog: {
        locations: [
          { type: 'file', target: entities },
          {
            type: 'file',
            target: path.join(repoRoot, 'examples/org.yaml'),
            rules: [{ allow: ['User', 'Group'] }],
          },
        ],
      },
      gitops: {
        allowHttpRepositories: true,
        reconcile: { interval: { seconds: 5 } },
        clusters: [
          {
            name: 'in-cluster',
            kubeconfigPath: process.env.GITOPS_TEST_KUBECONFIG,
          },
        ],
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
    await gitServer?.stop();
  });

  it('shows the application of an annotated component, after guest sign-in', async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    await screenshotOnFailure(page, 'gitops-tab', async () => {
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
      // A plain http repository URL is a link too: it is on loopback here.
      await page
        .getByRole('link', { name: new RegExp(gitServer.url) })
        .waitFor();
      await page.getByText('guestbook', { exact: true }).first().waitFor();

      // The example is auto-synced into the test cluster: the card follows it
      // from OutOfSync/Missing to Synced/Healthy (the overview card's words;
      // the Resources table repeats them per row). A loaded machine may take
      // a while, so both are awaited together, reloading between attempts.
      for (let attempt = 1; ; attempt++) {
        try {
          await overview(page)
            .getByText('Healthy', { exact: true })
            .waitFor({ timeout: 5000 });
          await overview(page)
            .getByText('Synced', { exact: true })
            .waitFor({ timeout: 5000 });
          break;
        } catch (error) {
          if (attempt === 18) throw error;
          await page.reload();
        }
      }
      await overview(page)
        .getByText(/^[0-9a-f]{40}$/)
        .waitFor();
      expect(await page.getByText('Not reconciled yet').count()).toBe(0);

      fs.mkdirSync(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, 'gitops-tab.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    });
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
