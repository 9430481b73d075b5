import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { testToolPaths } from './__testUtils__/tools';
import { createToolRunner, scrubPaths, shorten } from './runTool';

describe('createToolRunner', () => {
  const tools = testToolPaths();
  const runner = createToolRunner({ tools });
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gitops-run-tool-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const evaluate = (code: string, ...args: string[]) =>
    runner.run('jsonnet', [...args, '-e', code], { cwd: dir });

  it('passes arguments as they are, never through a shell', async () => {
    const hostile = '$(touch pwned) `touch pwned`; touch pwned | cat';

    const output = await evaluate(
      'std.extVar("x")',
      '--ext-str',
      `x=${hostile}`,
    );

    expect(JSON.parse(output)).toBe(hostile);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it("gives the tool none of the backend's environment", async () => {
    process.env.GITOPS_TEST_SECRET = 'database-password';
    try {
      // `--ext-str NAME` alone makes jsonnet read NAME from its environment.
      await expect(
        evaluate(
          'std.extVar("GITOPS_TEST_SECRET")',
          '--ext-str',
          'GITOPS_TEST_SECRET',
        ),
      ).rejects.toMatchObject({
        code: 'ToolFailed',
        message: expect.stringContaining('GITOPS_TEST_SECRET was undefined'),
      });
    } finally {
      delete process.env.GITOPS_TEST_SECRET;
    }
  });

  it('gives the tool an empty HOME of its own, removed afterwards', async () => {
    const home = JSON.parse(
      await evaluate('std.extVar("HOME")', '--ext-str', 'HOME'),
    );

    expect(home).not.toBe(homedir());
    expect(home.startsWith(tmpdir())).toBe(true);
    expect(existsSync(home)).toBe(false);
  });

  it('names a missing tool and the option that sets its path', async () => {
    const missing = createToolRunner({ tools: { helm: join(dir, 'no-helm') } });

    await expect(
      missing.run('helm', ['version'], {
        cwd: dir,
        file: 'apps/web/Chart.yaml',
      }),
    ).rejects.toMatchObject({
      code: 'ToolMissing',
      file: 'apps/web/Chart.yaml',
      message: expect.stringMatching(
        /^helm is not installed.*tools\.helm option/,
      ),
    });
  });

  it('turns a failure into its first lines, with workspace paths made relative', async () => {
    const workspace = join(dir, 'ws');

    const failure = runner.run(
      'jsonnet',
      ['--', join(workspace, 'apps/x.jsonnet')],
      {
        cwd: dir,
        scrub: [workspace],
        file: 'apps/x.jsonnet',
      },
    );

    await expect(failure).rejects.toMatchObject({
      code: 'ToolFailed',
      file: 'apps/x.jsonnet',
      message:
        'jsonnet failed: Opening input file: apps/x.jsonnet: no such file or directory',
    });
  });

  it('kills a tool that runs past its deadline', async () => {
    const slow = createToolRunner({ tools, limits: { timeoutMs: 300 } });
    const started = Date.now();

    await expect(
      slow.run(
        'jsonnet',
        ['-e', 'std.foldl(function(a, b) a + b, std.range(0, 100000000), 0)'],
        { cwd: dir },
      ),
    ).rejects.toMatchObject({
      code: 'Timeout',
      message: 'jsonnet did not finish within 300ms',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('kills a tool that prints more than the limit', async () => {
    const capped = createToolRunner({
      tools,
      limits: { maxOutputBytes: 1000 },
    });

    await expect(
      capped.run(
        'jsonnet',
        ['-e', "std.join('', std.makeArray(100000, function(i) 'x'))"],
        { cwd: dir },
      ),
    ).rejects.toMatchObject({
      code: 'TooLarge',
      message: 'jsonnet printed more than 1000 bytes',
    });
  });
});

describe('tool messages', () => {
  it('cuts temporary directories, the longest first', () => {
    expect(
      scrubPaths('/tmp/ws/apps/a.yaml and /tmp/ws and /tmp/ws-home/x', [
        '/tmp/ws',
        '/tmp/ws-home',
      ]),
    ).toBe('apps/a.yaml and . and x');
  });

  it('keeps the first lines, without colours or credentials', () => {
    const text = [
      '\x1b[31mError:\x1b[0m   fetching https://user:hunter22@example.com/x',
      ...Array.from({ length: 20 }, (_, i) => `line ${i}`),
    ].join('\n');

    const short = shorten(text);

    expect(short.split('\n')).toHaveLength(9);
    expect(short).toMatch(/^Error: fetching https:\/\/\*\*\*@example.com\/x\n/);
    expect(short).not.toContain('hunter22');
    expect(short.endsWith('…')).toBe(true);
    expect(shorten('x'.repeat(5000))).toHaveLength(801);
  });
});
