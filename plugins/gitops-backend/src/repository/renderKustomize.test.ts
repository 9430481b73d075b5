import { startCheckout, TestCheckout } from './__testUtils__/checkout';
import { FileSpec } from './__testUtils__/testRepo';
import { overrideEdits, renderKustomize } from './renderKustomize';
import { KustomizeOptions } from './sourceOptions';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx:1.27 }]
`;
const configMap =
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';
const base = {
  'bases/web/kustomization.yaml': 'resources:\n- deployment.yaml\n- cm.yaml\n',
  'bases/web/deployment.yaml': deployment,
  'bases/web/cm.yaml': configMap,
};

describe('renderKustomize', () => {
  let checkout: TestCheckout;
  beforeEach(async () => {
    checkout = await startCheckout();
  });
  afterEach(() => checkout.close());

  async function render(
    files: Record<string, FileSpec>,
    options?: KustomizeOptions,
  ) {
    const workspace = await checkout.workspaceAt(files, { read: 'apps/web' });
    return renderKustomize({
      workspace,
      appPath: 'apps/web',
      options,
      runner: checkout.runner(),
    });
  }
  const overlay = (kustomization: string) => ({
    ...base,
    'apps/web/kustomization.yaml': kustomization,
  });

  it('builds an overlay on a base elsewhere in the repository', async () => {
    const manifests = await render({
      ...overlay('resources:\n- ../../bases/web\nnamePrefix: prod-\n'),
    });

    expect(
      manifests.map(m => [m.file, m.manifest.kind, m.manifest.metadata]),
    ).toEqual([
      ['apps/web/kustomization.yaml', 'ConfigMap', { name: 'prod-settings' }],
      ['apps/web/kustomization.yaml', 'Deployment', { name: 'prod-web' }],
    ]);
  });

  it("applies the application's overrides with kustomize edit", async () => {
    const manifests = await render(overlay('resources:\n- ../../bases/web\n'), {
      namePrefix: 'eu-',
      nameSuffix: '-v2',
      images: ['nginx=registry.example.com/nginx:1.28'],
      commonLabels: { team: 'shop' },
      commonAnnotations: { note: 'a, b: "c"' },
      namespace: 'shop',
    });

    const web = manifests.find(m => m.manifest.kind === 'Deployment')!.manifest;
    expect(web.metadata).toEqual({
      name: 'eu-web-v2',
      namespace: 'shop',
      labels: { team: 'shop' },
      annotations: { note: 'a, b: "c"' },
    });
    expect(web).toMatchObject({
      spec: {
        template: {
          spec: {
            containers: [{ image: 'registry.example.com/nginx:1.28' }],
          },
        },
      },
    });
  });

  it('refuses a base outside the repository, naming the kustomization', async () => {
    await expect(
      render(overlay('resources:\n- ../../../etc\n')),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'apps/web/kustomization.yaml',
      message:
        'apps/web/kustomization.yaml: resources entry "../../../etc" is outside the repository',
    });
  });

  it('refuses an absolute base', async () => {
    await expect(render(overlay('resources:\n- /etc\n'))).rejects.toMatchObject(
      {
        code: 'PathEscape',
        file: 'apps/web/kustomization.yaml',
      },
    );
  });

  it('refuses a remote base given as a URL, naming the kustomization', async () => {
    await expect(
      render(
        overlay(
          'resources:\n- https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0\n',
        ),
      ),
    ).rejects.toMatchObject({
      code: 'Unsupported',
      file: 'apps/web/kustomization.yaml',
      message: expect.stringContaining(
        'resources entry "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0" is remote',
      ),
    });
  });

  it("refuses a remote base in kustomize's short form", async () => {
    await expect(
      render(
        overlay('components:\n- github.com/org/repo/components/x?ref=main\n'),
      ),
    ).rejects.toMatchObject({ code: 'Unsupported' });
  });

  it('refuses a remote base hidden in a base, naming that base', async () => {
    await expect(
      render({
        ...overlay('resources:\n- ../../bases/web\n'),
        'bases/web/kustomization.yaml':
          'resources:\n- deployment.yaml\n- git@github.com:org/repo.git//x\n',
      }),
    ).rejects.toMatchObject({
      code: 'Unsupported',
      file: 'bases/web/kustomization.yaml',
    });
  });

  it('refuses a missing base rather than let kustomize fetch it', async () => {
    await expect(
      render(overlay('resources:\n- ../../bases/gone\n')),
    ).rejects.toMatchObject({
      code: 'NotFound',
      message: expect.stringContaining(
        'apps/web/kustomization.yaml: resources entry "../../bases/gone" does not exist at commit',
      ),
    });
  });

  it("refuses a file outside the kustomization's folder", async () => {
    await expect(
      render(overlay('resources:\n- ../../bases/web/cm.yaml\n')),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      message: expect.stringContaining(
        "is a file outside the kustomization's folder",
      ),
    });
  });

  it('leaves patches outside the folder to the load restrictor', async () => {
    await expect(
      render({
        ...overlay(
          'resources:\n- ../../bases/web\npatches:\n- path: ../../bases/web/cm.yaml\n',
        ),
      }),
    ).rejects.toMatchObject({
      code: 'ToolFailed',
      file: 'apps/web/kustomization.yaml',
      // Repository paths, not the workspace's temporary directory.
      message: expect.stringContaining(
        "security; file 'bases/web/cm.yaml' is not in or below 'apps/web'",
      ),
    });
  });

  it('refuses Helm charts inside kustomizations', async () => {
    await expect(
      render(
        overlay(
          'helmCharts:\n- name: redis\n  repo: https://charts.example.com\n  version: 1.0.0\n',
        ),
      ),
    ).rejects.toMatchObject({
      code: 'ToolFailed',
      message: expect.stringContaining('--enable-helm'),
    });
  });
});

describe('overrideEdits', () => {
  it('puts every value after --, so none can pose as a flag', () => {
    expect(
      overrideEdits({
        namePrefix: '--help',
        images: ['nginx:1'],
        commonLabels: { a: 'x:y' },
      }),
    ).toEqual([
      ['edit', 'set', 'nameprefix', '--', '--help'],
      ['edit', 'set', 'image', '--', 'nginx:1'],
      ['edit', 'add', 'label', '--force', '--', 'a:"x:y"'],
    ]);
  });

  it('refuses a label name with a colon, which kustomize would split', () => {
    expect(() => overrideEdits({ commonLabels: { 'a:b': 'c' } })).toThrow(
      expect.objectContaining({ code: 'InvalidSource' }),
    );
  });
});
