import { startCheckout, TestCheckout } from './__testUtils__/checkout';
import { FileSpec, TestRepo } from './__testUtils__/testRepo';
import { renderHelm, setArgument, splitHelmOutput } from './renderHelm';
import { HelmOptions } from './sourceOptions';
import { Workspace } from './workspace';

/** A small chart: a values lookup, a hook and a CRD. */
const chart = (dir = 'apps/web'): Record<string, string> => ({
  [`${dir}/Chart.yaml`]: 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  [`${dir}/values.yaml`]: 'greeting: hello\nreplicas: 1\nflag: true\n',
  [`${dir}/templates/_helpers.tpl`]:
    '{{- define "web.name" -}}{{ .Release.Name }}-config{{- end }}\n',
  [`${dir}/templates/configmap.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "web.name" . }}
  namespace: {{ .Release.Namespace }}
data:
  greeting: {{ .Values.greeting | quote }}
  replicas: {{ .Values.replicas | quote }}
  flagKind: {{ kindOf .Values.flag }}
  kube: {{ .Capabilities.KubeVersion.Version }}
`,
  [`${dir}/templates/migrate.yaml`]: `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: busybox }]
`,
  [`${dir}/crds/widgets.yaml`]: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object } }
`,
});

describe('renderHelm', () => {
  let checkout: TestCheckout;
  beforeEach(async () => {
    checkout = await startCheckout();
  });
  afterEach(() => checkout.close());

  async function render(
    files: Record<string, FileSpec>,
    options?: HelmOptions,
    extra: { refs?: Map<string, Workspace>; namespace?: string } = {},
  ) {
    const workspace = await checkout.workspaceAt(files, { read: 'apps/web' });
    return renderHelm({
      workspace,
      appPath: 'apps/web',
      appName: 'shop',
      namespace: extra.namespace ?? 'shop-prod',
      options,
      refs: extra.refs,
      runner: checkout.runner(),
      kubeVersion: '1.35.0',
    });
  }
  const data = async (
    files: Record<string, FileSpec>,
    options?: HelmOptions,
    extra?: { refs?: Map<string, Workspace> },
  ) => {
    const manifests = await render(files, options, extra);
    return manifests.find(m => m.manifest.kind === 'ConfigMap')!.manifest
      .data as Record<string, string>;
  };

  it('renders templates, hooks and CRDs, each attributed to its file', async () => {
    const manifests = await render(chart());

    expect(manifests.map(m => [m.file, m.manifest.kind])).toEqual([
      ['apps/web/crds/widgets.yaml', 'CustomResourceDefinition'],
      ['apps/web/templates/configmap.yaml', 'ConfigMap'],
      ['apps/web/templates/migrate.yaml', 'Job'],
    ]);
    expect(manifests[1].manifest).toMatchObject({
      metadata: { name: 'shop-config', namespace: 'shop-prod' },
      data: { greeting: 'hello', replicas: '1', kube: 'v1.35.0' },
    });
    // The engine maps Helm's hook annotations onto its own.
    expect(manifests[2].manifest.metadata).toMatchObject({
      name: 'shop-migrate',
      annotations: {
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-delete-policy': 'before-hook-creation',
      },
    });
  });

  it('leaves the CRDs out with skipCrds and takes the release name given', async () => {
    const manifests = await render(chart(), {
      skipCrds: true,
      releaseName: 'storefront',
    });
    expect(
      manifests.map(m => (m.manifest.metadata as { name: string }).name),
    ).toEqual(['storefront-config', 'storefront-migrate']);
  });

  it('layers value files, values and parameters in that order', async () => {
    const values = await data(
      {
        ...chart(),
        'apps/web/values-prod.yaml': 'greeting: from-file\nreplicas: 3\n',
        'shared/values-eu.yaml': 'greeting: from-shared\n',
      },
      {
        valueFiles: ['values-prod.yaml', '../../shared/values-eu.yaml'],
        values: 'replicas: 4\n',
        parameters: [{ name: 'flag', value: 'false', forceString: true }],
      },
    );
    expect(values).toMatchObject({
      greeting: 'from-shared',
      replicas: '4',
      flagKind: 'string',
    });
  });

  it('prefers valuesObject to values, and parameters to both', async () => {
    expect(
      await data(chart(), {
        values: 'greeting: from-values\n',
        valuesObject: { greeting: 'from-object', replicas: 2 },
      }),
    ).toMatchObject({ greeting: 'from-object', replicas: '2' });
    expect(
      await data(chart(), {
        valuesObject: { greeting: 'from-object' },
        parameters: [
          { name: 'greeting', value: 'a,b' },
          { name: 'flag', value: 'false' },
        ],
      }),
    ).toMatchObject({ greeting: 'a,b', flagKind: 'bool' });
  });

  it('reads $ref value files from the root of the ref source', async () => {
    const values: TestRepo = await checkout.addRepo('values');
    const refWorkspace = await checkout.workspaceAt(
      { 'envs/prod/web.yaml': 'greeting: from-ref\n' },
      { repo: values },
    );

    expect(
      await data(
        chart(),
        { valueFiles: ['$values/envs/prod/web.yaml'] },
        { refs: new Map([['values', refWorkspace]]) },
      ),
    ).toMatchObject({ greeting: 'from-ref' });
  });

  it('refuses a $ref value file that leaves its repository', async () => {
    const values = await checkout.addRepo('values');
    const refWorkspace = await checkout.workspaceAt(
      { 'a.yaml': 'a: 1\n' },
      { repo: values },
    );
    await expect(
      render(
        chart(),
        { valueFiles: ['$values/../../../etc/passwd'] },
        { refs: new Map([['values', refWorkspace]]) },
      ),
    ).rejects.toMatchObject({ code: 'PathEscape' });
  });

  it('refuses a $ref that names no source', async () => {
    await expect(
      render(chart(), { valueFiles: ['$config/web.yaml'] }),
    ).rejects.toMatchObject({
      code: 'InvalidSource',
      message: expect.stringContaining('no source has ref "config"'),
    });
  });

  it('refuses a value file outside the repository', async () => {
    await expect(
      render(chart(), { valueFiles: ['../../../etc/passwd'] }),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      message: 'value file "../../../etc/passwd" is outside the repository',
    });
  });

  it('refuses a value file by absolute path', async () => {
    await expect(
      render(chart(), { valueFiles: ['/etc/passwd'] }),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      message: expect.stringContaining('is an absolute path'),
    });
  });

  it('refuses a value file by URL', async () => {
    await expect(
      render(chart(), { valueFiles: ['https://example.com/values.yaml'] }),
    ).rejects.toMatchObject({ code: 'Unsupported' });
  });

  it('names a missing value file, unless told to skip missing ones', async () => {
    await expect(
      render(chart(), { valueFiles: ['values-gone.yaml'] }),
    ).rejects.toMatchObject({
      code: 'NotFound',
      file: 'apps/web/values-gone.yaml',
    });
    expect(
      await data(chart(), {
        valueFiles: ['values-gone.yaml'],
        ignoreMissingValueFiles: true,
      }),
    ).toMatchObject({ greeting: 'hello' });
  });

  it('builds file:// dependencies from the repository without network', async () => {
    const manifests = await render({
      ...chart(),
      'apps/web/Chart.yaml':
        'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: lib\n  version: 0.1.0\n  repository: file://../../charts/lib\n',
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
      'charts/lib/templates/sa.yaml':
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Release.Name }}-lib\n',
    });
    expect(manifests.find(m => m.manifest.kind === 'ServiceAccount')).toEqual({
      file: 'apps/web/charts/lib/templates/sa.yaml',
      manifest: expect.objectContaining({ metadata: { name: 'shop-lib' } }),
    });
  });

  it('refuses a remote dependency that is not committed, naming Chart.yaml', async () => {
    await expect(
      render({
        ...chart(),
        'apps/web/Chart.yaml':
          'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: redis\n  version: 1.0.0\n  repository: https://charts.example.com\n',
      }),
    ).rejects.toMatchObject({
      code: 'Unsupported',
      file: 'apps/web/Chart.yaml',
      message: expect.stringContaining(
        'dependency "redis" comes from "https://charts.example.com"',
      ),
    });
  });

  it('uses committed dependencies as they are', async () => {
    const manifests = await render({
      ...chart(),
      'apps/web/Chart.yaml':
        'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: lib\n  version: 0.1.0\n  repository: https://charts.example.com\n',
      'apps/web/charts/lib/Chart.yaml':
        'apiVersion: v2\nname: lib\nversion: 0.1.0\n',
      'apps/web/charts/lib/templates/sa.yaml':
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: vendored\n',
    });
    expect(manifests.map(m => m.manifest.kind)).toContain('ServiceAccount');
  });

  it('refuses a file:// dependency outside the repository', async () => {
    await expect(
      render({
        ...chart(),
        'apps/web/Chart.yaml':
          'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n- name: lib\n  version: 0.1.0\n  repository: file://../../../lib\n',
      }),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'apps/web/Chart.yaml',
    });
  });

  it('refuses a values schema that would make Helm read a local file', async () => {
    await expect(
      render({
        ...chart(),
        'apps/web/values.schema.json':
          '{"properties": {"greeting": {"$ref": "file:///etc/hostname"}}}',
      }),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'apps/web/values.schema.json',
    });
  });

  it('still validates values against a self-contained schema', async () => {
    await expect(
      render(
        {
          ...chart(),
          'apps/web/values.schema.json':
            '{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"n": {"type": "integer"}}, "properties": {"replicas": {"$ref": "#/definitions/n"}}}',
        },
        {
          parameters: [{ name: 'replicas', value: 'many', forceString: true }],
        },
      ),
    ).rejects.toMatchObject({
      code: 'ToolFailed',
      message: expect.stringContaining("values don't meet the specifications"),
    });
  });

  it('passes on template errors with repository paths', async () => {
    await expect(
      render({
        ...chart(),
        'apps/web/templates/broken.yaml': '{{ fail "broken on purpose" }}\n',
      }),
    ).rejects.toMatchObject({
      code: 'ToolFailed',
      file: 'apps/web/Chart.yaml',
      message: expect.stringMatching(
        /^helm failed: Error: execution error at \(web\/templates\/broken.yaml:1:3\): broken on purpose/,
      ),
    });
  });
});

describe('setArgument', () => {
  it('escapes commas, except in {a,b} lists and where already escaped', () => {
    expect(setArgument({ name: 'a', value: 'x,y,,z' })).toBe(
      '--set=a=x\\,y\\,\\,z',
    );
    expect(setArgument({ name: 'a', value: 'x\\,y' })).toBe('--set=a=x\\,y');
    expect(setArgument({ name: 'a', value: '{x,y}' })).toBe('--set=a={x,y}');
    expect(setArgument({ name: 'a', value: '1', forceString: true })).toBe(
      '--set-string=a=1',
    );
  });

  it('refuses a name that would smuggle another value in', () => {
    expect(() => setArgument({ name: 'a=b,c', value: '1' })).toThrow(
      expect.objectContaining({ code: 'InvalidSource' }),
    );
  });
});

describe('splitHelmOutput', () => {
  it("attributes each document to its template's file", () => {
    const output = [
      '---',
      '# Source: web/templates/a.yaml',
      'kind: A',
      '---',
      '# Source: web/charts/lib/templates/b.yaml',
      'kind: B',
      '--- # without a source',
      'kind: C',
      '',
    ].join('\n');
    expect(splitHelmOutput(output, 'apps/web').map(c => c.file)).toEqual([
      'apps/web/templates/a.yaml',
      'apps/web/charts/lib/templates/b.yaml',
      'apps/web/Chart.yaml',
    ]);
  });
});
