import fs from 'fs';
import path from 'path';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { testKubeConfig } from '../cluster/testNamespace';
import { RunningBackend, repoRoot, startBackend } from './lib/backend';
import { overview } from './lib/overview';
import { launchChromium, screenshotDir } from './lib/browser';
import { startDevGitServer } from './lib/devGitServer';

jest.setTimeout(420_000);

// Self-service onboarding, as a developer does it: the gitops-service
// template, run from the app's Create page, pushes a new service into the
// example Git server, creates its application, syncs it into the test
// cluster, waits for Healthy and registers the component, whose GitOps tab
// then shows it Synced and Healthy.
describe('the gitops-service template in the running app', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let gitServer: Awaited<ReturnType<typeof startDevGitServer>>;
  let createdNamespace: string | undefined;
  let onboarded: string | undefined;

  beforeAll(async () => {
    gitServer = await startDevGitServer();
    const gitHost = new URL(gitServer.url).host;
    backend = await startBackend({
      backend: { reading: { allow: [{ host: gitHost }] } },
      catalog: {
        locations: [
          {
            type: 'file',
            target: path.join(
              repoRoot,
              'examples/templates/gitops-service/template.yaml',
            ),
            rules: [{ allow: ['Template'] }],
          },
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
    if (createdNamespace) {
      await testKubeConfig()
        .makeApiClient(CoreV1Api)
        .deleteNamespace({ name: createdNamespace });
    }
    await browser?.close();
    await backend?.stop();
    await gitServer?.stop();
  });

  // The skeleton as the scaffolder's dry-run API takes it, as the Template
  // Editor sends it.
  function templateFiles() {
    const root = path.join(repoRoot, 'examples/templates/gitops-service');
    const files: Array<{ path: string; base64Content: string }> = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else {
          files.push({
            path: path.relative(root, full),
            base64Content: fs.readFileSync(full).toString('base64'),
          });
        }
      }
    };
    walk(root);
    return {
      template: parse(
        fs.readFileSync(path.join(root, 'template.yaml'), 'utf8'),
      ),
      directoryContents: files,
    };
  }

  async function dryRun(values: Record<string, unknown>) {
    const refresh = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const { backstageIdentity } = await refresh.json();
    const response = await fetch(
      `${backend.baseUrl}/api/scaffolder/v2/dry-run`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${backstageIdentity.token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ ...templateFiles(), values, secrets: {} }),
      },
    );
    return { status: response.status, text: await response.text() };
  }

  async function reloadUntil(page: Page, find: () => Promise<unknown>) {
    for (let attempt = 1; ; attempt++) {
      try {
        await find();
        return;
      } catch (error) {
        if (attempt === 12) throw error;
        await page.reload();
      }
    }
  }

  it('takes a new service from nothing to Synced and Healthy', async () => {
    const name = `shop-${Date.now().toString(36).slice(-5)}`;
    onboarded = name;
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    await page.goto(
      `${backend.baseUrl}/create/templates/default/gitops-service`,
    );
    await page.getByRole('button', { name: 'Enter' }).click();

    // The catalog ingests the template shortly after start.
    const nameField = page.getByRole('textbox', { name: /^Name/ });
    await reloadUntil(page, () => nameField.waitFor({ timeout: 5000 }));
    await nameField.fill(name);
    const owner = page.getByRole('textbox', { name: /^Owner/ });
    await owner.click();
    await owner.fill('guests');
    await page
      .getByRole('option', { name: /guests/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Next' }).click();

    const repo = page.getByRole('textbox', { name: /^GitOps repository/ });
    await repo.fill(gitServer.url);
    if (process.env.E2E_DEBUG)
      console.log(await page.locator('body').ariaSnapshot());
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task page: every step ends, then the output links appear.
    const tabLink = page.getByRole('link', { name: 'GitOps tab' });
    try {
      await tabLink.waitFor({ timeout: 300_000 });
    } catch (error) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({
        path: path.join(screenshotDir, 'gitops-template-failed.png'),
        fullPage: true,
      });
      throw error;
    }
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({
      path: path.join(screenshotDir, 'gitops-template-task.png'),
      fullPage: true,
    });

    // The service's folder is in the Git server, annotated for the reconciler.
    const catalogInfo = await fetch(
      `${gitServer.url}/raw/main/services/${name}/catalog-info.yaml`,
    );
    expect(catalogInfo.status).toBe(200);
    expect(await catalogInfo.text()).toContain(
      `gitops.backstage.io/path: services/${name}/manifests`,
    );

    await tabLink.click();
    await page.waitForURL(
      new RegExp(`/catalog/default/component/${name}/gitops$`),
    );
    await page.getByText('GitOps application').waitFor();
    await reloadUntil(page, () =>
      // The overview card's words; the Resources table repeats them per row.
      overview(page)
        .getByText('Healthy', { exact: true })
        .waitFor({ timeout: 5000 }),
    );
    await overview(page).getByText('Synced', { exact: true }).waitFor();
    await page.getByText(name, { exact: true }).first().waitFor();

    // And the service runs in the test cluster, in its environment's
    // namespace, tracked as the application's.
    const kc = testKubeConfig();
    const deployment = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name, namespace: `${name}-dev` });
    expect(
      deployment.metadata?.annotations?.['argocd.argoproj.io/tracking-id'],
    ).toBe(`${name}:apps/Deployment:${name}-dev/${name}`);
    createdNamespace = `${name}-dev`;

    const file = path.join(screenshotDir, 'gitops-template-gitops-tab.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });

  it('in a dry run, checks with the reconciler and pushes, syncs and registers nothing', async () => {
    const values = {
      owner: 'group:default/guests',
      environment: 'dev',
      repoUrl: gitServer.url,
    };
    const fresh = await dryRun({ ...values, name: 'dry-service' });
    expect(fresh.status).toBe(200);
    expect(fresh.text).toContain('Dry run: would push 4 files');
    expect(fresh.text).toContain('Dry run: would sync');
    expect(
      (
        await fetch(
          `${gitServer.url}/raw/main/services/dry-service/catalog-info.yaml`,
        )
      ).status,
    ).toBe(404);

    // The service onboarded above owns its name now: refused, with the owner.
    expect(onboarded).toBeDefined();
    const clash = await dryRun({ ...values, name: onboarded });
    expect(clash.text).toContain(
      `Cannot create the application: an application named \\"${onboarded}\\" already exists (defined by component:default/${onboarded})`,
    );
  });
});
