import fs from 'fs';
import os from 'os';
import path from 'path';
import { Browser, Page } from 'playwright-core';
import { createTestNamespace, testKubeConfig } from '../cluster/testNamespace';
import { RunningBackend, startBackend } from './lib/backend';
import { launchChromium, screenshotDir } from './lib/browser';
import { GitRepoServer, startGitRepoServer } from './lib/gitRepoServer';

jest.setTimeout(300_000);

const configMap = (colour: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  colour: ${colour}
`;
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.invalid/web:1
`;
const preSyncHook = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.invalid/migrate:1
`;

/**
 * The whole loop through the UI, against the real backend, test cluster and
 * a Git repository of the test's own: sync and watch the hook timeline,
 * change Git and see the diff, sync again, roll back.
 */
describe('an application through its life in the GitOps tab', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let git: GitRepoServer;
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let page: Page;
  const shots: string[] = [];

  async function shot(name: string) {
    fs.mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `lifecycle-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  }

  beforeAll(async () => {
    namespace = await createTestNamespace(testKubeConfig(), 'e2e-shop');
    git = await startGitRepoServer();
    await git.commit(
      {
        'deploy/settings.yaml': configMap('blue'),
        'deploy/web.yaml': deployment,
        'deploy/migrate.yaml': preSyncHook,
      },
      'Blue shop',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-e2e-shop-'));
    const entities = path.join(dir, 'entities.yaml');
    fs.writeFileSync(
      entities,
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: e2e-shop
  annotations:
    gitops.backstage.io/repo-url: ${git.url}
    gitops.backstage.io/path: deploy
    gitops.backstage.io/destination-namespace: ${namespace.name}
spec:
  type: service
  lifecycle: experimental
  owner: guests
`,
    );
    backend = await startBackend({
      catalog: {
        locations: [
          { type: 'file', target: entities },
          {
            type: 'file',
            target: path.join(__dirname, '../../../examples/org.yaml'),
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
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
    await git?.stop();
    await namespace?.remove();
  });

  async function openTab() {
    await page.goto(`${backend.baseUrl}/catalog/default/component/e2e-shop`);
    await page.getByRole('button', { name: 'Enter' }).click();
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
  }

  // The progress line of the operation just started: Running first (so an
  // earlier operation's result is not mistaken for this one's), then the end.
  async function followToSuccess() {
    const progress = (phase: RegExp) =>
      page.getByRole('status').filter({ hasText: phase }).first();
    await progress(/^Sync Running/).waitFor({ timeout: 30_000 });
    await progress(/^Sync Succeeded/).waitFor({ timeout: 90_000 });
  }

  // The overview card's buttons; the Resources table has a Sync column too.
  const action = (name: string) =>
    page
      .locator('[class*="MuiCard-root"]')
      .getByRole('button', { name, exact: true });

  async function syncNow() {
    await action('Sync').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
    await followToSuccess();
  }

  async function card(text: string) {
    // The tab reloads the status every 10 s; the loop compares every 5 s.
    await page
      .locator('[class*="MuiCard-root"]')
      .getByText(text, { exact: true })
      .first()
      .waitFor({ timeout: 45_000 });
  }

  it('syncs, reaches Synced and Healthy, and shows that sync’s hook timeline', async () => {
    await openTab();
    // The loop compares it within seconds: OutOfSync, nothing deployed yet.
    await page
      .getByText('OutOfSync', { exact: true })
      .first()
      .waitFor({ timeout: 60_000 });
    await page.getByText(/^Resources \(\d+\)$/).waitFor();
    await shot('1-out-of-sync');

    await action('Sync').click();
    const dialog = page.getByRole('dialog');
    // The preview says what the sync will do before anything happens.
    await dialog.getByText(/Create ConfigMap\/.*\/settings/).waitFor();
    await shot('2-sync-preview');
    await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
    await followToSuccess();
    await page
      .getByRole('button', { name: 'Job/migrate: Synced (hook Succeeded)' })
      .first()
      .waitFor();
    await card('Synced');
    await card('Healthy');
    await page.getByText('Blue shop — E2E Tester', { exact: false }).waitFor();

    await page.getByRole('tab', { name: 'Last sync' }).click();
    await page.getByTitle('PreSync · wave 0').first().waitFor();
    await page.getByTitle('Sync · wave 1').first().waitFor();
    await page
      .getByRole('button', { name: 'Deployment/web: Synced' })
      .first()
      .click();
    await page.getByRole('note', { name: 'Task details' }).waitFor();
    await shot('3-synced-timeline');
    expect(
      await page.getByRole('button', { name: /: Synced/ }).count(),
    ).toBeGreaterThanOrEqual(3);
  });

  it('shows the diff after Git changes and a refresh', async () => {
    await git.commit({ 'deploy/settings.yaml': configMap('red') }, 'Red shop');
    await action('Refresh').click();
    await page
      .getByText('OutOfSync', { exact: true })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Diff' }).click();
    await page.getByText(`ConfigMap/${namespace.name}/settings`).waitFor();
    await page.getByText(/^-\s+colour: blue$/).waitFor();
    await page.getByText(/^\+\s+colour: red$/).waitFor();
    await shot('4-diff-unified');
    await page.getByRole('button', { name: 'Side by side' }).click();
    await page.getByRole('table', { name: 'Side-by-side diff' }).waitFor();
    await shot('5-diff-side-by-side');
    // The diff is of the last comparison: one resource changed, not three.
    expect(await page.getByText(/^1 change$/).count()).toBe(1);
  });

  it('syncs the change, then rolls back to the first sync from the history', async () => {
    await syncNow();
    await card('Synced');
    await page.getByRole('tab', { name: 'History' }).click();
    const rollbacks = page.getByRole('button', { name: /^Roll back to / });
    await rollbacks.nth(1).waitFor();
    expect(await rollbacks.count()).toBe(2);
    await shot('6-history');

    // The older entry is the blue revision.
    await rollbacks.nth(1).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Deploys revision [0-9a-f]{7} again/).waitFor();
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await followToSuccess();
    // Git still says red: the tab reads OutOfSync, and the diff shows why.
    await page
      .getByText('OutOfSync', { exact: true })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Diff' }).click();
    await page.getByText(/^-\s+colour: blue$/).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    await rollbacks.nth(2).waitFor();
    await shot('7-rolled-back');

    for (const file of shots) {
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    }
  });
});
