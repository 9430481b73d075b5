import { startCheckout, TestCheckout } from './__testUtils__/checkout';
import { FileSpec } from './__testUtils__/testRepo';
import { ManifestObject } from './parseManifests';
import { createJsonnetRenderer } from './renderJsonnet';
import { JsonnetOptions } from './sourceOptions';

const cm = (name: string, data = '{}') =>
  `{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ${name} }, data: ${data} }`;

describe('createJsonnetRenderer', () => {
  let checkout: TestCheckout;
  beforeEach(async () => {
    checkout = await startCheckout();
  });
  afterEach(() => checkout.close());

  async function render(
    files: Record<string, FileSpec>,
    options?: JsonnetOptions,
    file = 'apps/web/main.jsonnet',
  ) {
    const workspace = await checkout.workspaceAt(files, { read: 'apps/web' });
    const renderFile = createJsonnetRenderer({
      workspace,
      options,
      runner: checkout.runner(),
    });
    return renderFile(file);
  }
  const names = (objects: ManifestObject[]) =>
    objects.map(o => (o.metadata as { name: string }).name);

  it('renders one object', async () => {
    const objects = await render({ 'apps/web/main.jsonnet': cm("'a'") });
    expect(objects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a' },
        data: {},
      },
    ]);
  });

  it('flattens arrays, nested ones too, and Lists', async () => {
    const objects = await render({
      'apps/web/main.jsonnet': `[${cm("'a'")}, [${cm("'b'")}, [${cm("'c'")}]],
        { apiVersion: 'v1', kind: 'List', items: [${cm("'d'")}] }]`,
    });
    expect(names(objects)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('passes external variables and top-level arguments, as strings or code', async () => {
    const objects = await render(
      {
        'apps/web/main.jsonnet': `function(replicas, tier) ${cm(
          'std.extVar("name")',
          '{ env: std.extVar("env").region, replicas: std.toString(replicas + 1), tier: tier }',
        )}`,
      },
      {
        extVars: [
          { name: 'name', value: 'web' },
          { name: 'env', value: '{ region: "eu" }', code: true },
        ],
        tlas: [
          { name: 'replicas', value: '2', code: true },
          { name: 'tier', value: '2' },
        ],
      },
    );
    expect(objects[0]).toMatchObject({
      metadata: { name: 'web' },
      data: { env: 'eu', replicas: '3', tier: '2' },
    });
  });

  it('imports from elsewhere in the repository and from libraries', async () => {
    const objects = await render(
      {
        'apps/web/main.jsonnet': `local shared = import '../../shared/names.libsonnet';
          local k = import 'k.libsonnet';
          [k.cm(shared.first), k.cm(importstr 'second.txt')]`,
        'shared/names.libsonnet': "{ first: 'from-shared' }",
        'vendor/k/k.libsonnet': `{ cm(name):: ${cm('name')} }`,
        'vendor/k/second.txt': 'from-lib',
      },
      { libs: ['vendor/k'] },
    );
    expect(names(objects)).toEqual(['from-shared', 'from-lib']);
  });

  it('follows imports of imports, relative to each file', async () => {
    const objects = await render({
      'apps/web/main.jsonnet': "import '../../lib/a.libsonnet'",
      'lib/a.libsonnet': "import 'deeper/b.libsonnet'",
      'lib/deeper/b.libsonnet': `[${cm("'b'")}]`,
    });
    expect(names(objects)).toEqual(['b']);
  });

  it('refuses an import by absolute path, naming the file and line', async () => {
    await expect(
      render({
        'apps/web/main.jsonnet': "local x = 1;\nimportstr '/etc/passwd'",
      }),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'apps/web/main.jsonnet',
      message:
        'apps/web/main.jsonnet: importstr on line 2 "/etc/passwd" is an absolute path; only files in the repository are read',
    });
  });

  it('refuses an import that climbs out of the repository', async () => {
    await expect(
      render({ 'apps/web/main.jsonnet': "import '../../../etc/hostname'" }),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'apps/web/main.jsonnet',
      message: expect.stringContaining('is outside the repository'),
    });
  });

  it('refuses an escaping import hidden in an imported file', async () => {
    await expect(
      render({
        'apps/web/main.jsonnet': "import '../../lib/a.libsonnet'",
        'lib/a.libsonnet': "importstr '\\u002fetc/passwd'",
      }),
    ).rejects.toMatchObject({ code: 'PathEscape', file: 'lib/a.libsonnet' });
  });

  it('refuses an escaping import in code given as a variable', async () => {
    await expect(
      render(
        { 'apps/web/main.jsonnet': "std.extVar('x')" },
        {
          extVars: [
            { name: 'x', value: "importstr '/etc/passwd'", code: true },
          ],
        },
      ),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      message: expect.stringContaining('variable "x", line 1'),
    });
  });

  it('refuses a library outside the repository', async () => {
    await expect(
      render({ 'apps/web/main.jsonnet': '{}' }, { libs: ['../outside'] }),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      message: 'Jsonnet library "../outside" is outside the repository',
    });
  });

  it('refuses a variable without a value, which would read the environment', async () => {
    await expect(
      render(
        { 'apps/web/main.jsonnet': "std.extVar('HOME')" },
        { extVars: [{ name: 'HOME=x', value: '' }] },
      ),
    ).rejects.toMatchObject({ code: 'InvalidSource' });
  });

  it('names the file of output that is not objects', async () => {
    await expect(
      render({ 'apps/web/main.jsonnet': "[{ kind: 'ConfigMap' }]" }),
    ).rejects.toMatchObject({
      code: 'InvalidManifest',
      message:
        'apps/web/main.jsonnet (item 1): object has no apiVersion (kind ConfigMap)',
    });
    await expect(
      render({ 'apps/web/main.jsonnet': "'just a string'" }),
    ).rejects.toMatchObject({
      code: 'InvalidManifest',
      message:
        'apps/web/main.jsonnet: expected a Kubernetes object, found string',
    });
  });

  it('passes on Jsonnet errors with repository paths', async () => {
    await expect(
      render({ 'apps/web/main.jsonnet': "error 'broken on purpose'" }),
    ).rejects.toMatchObject({
      code: 'ToolFailed',
      file: 'apps/web/main.jsonnet',
      message: expect.stringMatching(
        /^jsonnet failed: RUNTIME ERROR: broken on purpose\n\s*apps\/web\/main.jsonnet:1:1/,
      ),
    });
  });
});
