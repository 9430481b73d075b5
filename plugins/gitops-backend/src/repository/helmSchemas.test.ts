import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { startCheckout, TestCheckout } from './__testUtils__/checkout';
import { testToolPaths } from './__testUtils__/tools';
import { checkHelmSchemas, checkSchema, tarEntries } from './helmSchemas';

const run = promisify(execFile);

const chartYaml = (name: string) =>
  `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;
const schema = (extra: object) =>
  JSON.stringify({ type: 'object', properties: { a: extra } });

/** Files written to a scratch folder, then `tar` or `helm package` on them. */
async function withFiles<T>(
  files: Record<string, string>,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'gitops-schema-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A real `helm package` of a chart with the given schema. */
const packageChart = (name: string, schemaText: string) =>
  withFiles(
    {
      [`${name}/Chart.yaml`]: chartYaml(name),
      [`${name}/values.schema.json`]: schemaText,
    },
    async dir => {
      await run(testToolPaths().helm, ['package', join(dir, name), '-d', dir], {
        env: { PATH: process.env.PATH, HOME: dir },
      });
      return readFile(join(dir, `${name}-0.1.0.tgz`));
    },
  );

describe('checkSchema', () => {
  it.each([
    ['a $ref to a file URL', { $ref: 'file:///etc/hostname' }],
    ['a $ref to an absolute path', { $ref: '/etc/hostname' }],
    ['a $ref to a relative path', { $ref: '../../../../etc/hostname' }],
    ['a $ref to a URL', { $ref: 'https://example.com/s.json' }],
    ['a $dynamicRef to a file', { $dynamicRef: 'file:///etc/x' }],
  ])('refuses %s, naming the file', (_what, node) => {
    expect(() => checkSchema('c/values.schema.json', schema(node))).toThrow(
      expect.objectContaining({
        code: 'PathEscape',
        file: 'c/values.schema.json',
        message: expect.stringContaining('would make Helm load a file or URL'),
      }),
    );
  });

  it('refuses a $schema that is not a standard draft', () => {
    expect(() =>
      checkSchema(
        's.json',
        JSON.stringify({ $schema: 'file:///etc/hostname' }),
      ),
    ).toThrow(expect.objectContaining({ code: 'PathEscape' }));
  });

  it('allows references within the schema and standard drafts', () => {
    expect(() =>
      checkSchema(
        's.json',
        JSON.stringify({
          $schema: 'http://json-schema.org/draft-07/schema#',
          definitions: { port: { type: 'integer' } },
          properties: { port: { $ref: '#/definitions/port' } },
        }),
      ),
    ).not.toThrow();
  });
});

describe('tarEntries', () => {
  it.each(['gnu', 'pax', 'ustar'])(
    'reads the full names of a %s archive',
    async format => {
      // Over 100 characters: ustar splits it into prefix and name.
      const long = `${'deep/'.repeat(20)}values.schema.json`;
      const tar = await withFiles({ [long]: '{}', 'a.txt': 'a' }, async dir => {
        await run(
          'tar',
          [`--format=${format}`, '-cf', 'x.tar', 'deep', 'a.txt'],
          {
            cwd: dir,
          },
        );
        return readFile(join(dir, 'x.tar'));
      });
      expect([...tarEntries(tar)].map(e => e.name)).toEqual([long, 'a.txt']);
    },
  );
});

describe('checkHelmSchemas', () => {
  let checkout: TestCheckout;
  beforeEach(async () => {
    checkout = await startCheckout();
  });
  afterEach(() => checkout.close());

  it('checks the schemas of the chart and of unpacked subcharts', async () => {
    const workspace = await checkout.workspaceAt(
      {
        'web/Chart.yaml': chartYaml('web'),
        'web/values.schema.json': schema({ $ref: '#/x' }),
        'web/charts/lib/Chart.yaml': chartYaml('lib'),
        'web/charts/lib/values.schema.json': schema({ $ref: '/etc/passwd' }),
      },
      { read: 'web' },
    );
    await expect(checkHelmSchemas(workspace, 'web')).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'web/charts/lib/values.schema.json',
    });
  });

  it('checks the schemas inside packaged subcharts', async () => {
    const workspace = await checkout.workspaceAt(
      {
        'web/Chart.yaml': chartYaml('web'),
        'web/charts/lib-0.1.0.tgz': await packageChart(
          'lib',
          schema({ $ref: 'file:///etc/hostname' }),
        ),
      },
      { read: 'web' },
    );
    await expect(checkHelmSchemas(workspace, 'web')).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'web/charts/lib-0.1.0.tgz',
      message: expect.stringMatching(
        /^web\/charts\/lib-0.1.0.tgz!lib\/values.schema.json: "\$ref"/,
      ),
    });
  });

  it('lets a clean packaged subchart through', async () => {
    const workspace = await checkout.workspaceAt(
      {
        'web/Chart.yaml': chartYaml('web'),
        'web/charts/lib-0.1.0.tgz': await packageChart('lib', schema({})),
      },
      { read: 'web' },
    );
    await expect(checkHelmSchemas(workspace, 'web')).resolves.toBeUndefined();
  });

  it('refuses a packaged chart that unpacks into too much', async () => {
    const bomb = gzipSync(Buffer.alloc(65 * 1024 * 1024));
    const workspace = await checkout.workspaceAt(
      { 'web/Chart.yaml': chartYaml('web'), 'web/charts/x.tgz': bomb },
      { read: 'web' },
    );
    await expect(checkHelmSchemas(workspace, 'web')).rejects.toMatchObject({
      code: 'InvalidManifest',
      file: 'web/charts/x.tgz',
    });
  });
});
