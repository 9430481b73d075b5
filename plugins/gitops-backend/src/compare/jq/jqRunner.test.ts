import { createJqRunner } from './jqRunner';
import { evaluateJqPaths } from './jqPaths';

describe('jq path expressions, with real jq', () => {
  const runner = createJqRunner({ timeoutMs: 1000 });
  afterAll(() => runner.close());

  const doc = {
    spec: {
      containers: [
        { name: 'istio-proxy', image: 'istio:1' },
        { name: 'app', image: 'app:1' },
        { name: 'vault-agent', image: 'vault:1' },
      ],
    },
  };

  it('gives the path of every value an expression selects', async () => {
    await expect(
      runner.paths('.spec.containers[] | select(.name != "app")', doc),
    ).resolves.toEqual([
      ['spec', 'containers', 0],
      ['spec', 'containers', 2],
    ]);
    await expect(
      runner.paths('.spec.containers[1].image', doc),
    ).resolves.toEqual([['spec', 'containers', 1, 'image']]);
    await expect(runner.paths('.metadata.labels?', doc)).resolves.toEqual([
      ['metadata', 'labels'],
    ]);
  });

  it('refuses a syntax error and a non-path expression in jq words', async () => {
    await expect(runner.paths('.spec.containers[', doc)).rejects.toThrow(
      /^jq: error: syntax error/,
    );
    await expect(runner.paths('.spec | length', doc)).rejects.toThrow(
      /Invalid path expression/,
    );
  });

  it('stops an expression that never ends, and works again afterwards', async () => {
    const started = Date.now();
    await expect(runner.paths('def f: f; f', doc)).rejects.toThrow(
      'jq took longer than 1000 ms',
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(runner.paths('.spec', doc)).resolves.toEqual([['spec']]);
  });

  it('refuses inputs, outputs and expressions over the limits', async () => {
    const small = createJqRunner({
      maxInputBytes: 100,
      maxOutputBytes: 100,
      maxExpressionLength: 20,
    });
    try {
      await expect(small.paths('.', { big: 'x'.repeat(200) })).rejects.toThrow(
        'the object is larger than 100 bytes',
      );
      await expect(
        small.paths('..', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }),
      ).rejects.toThrow('jq printed more than 100 bytes');
      await expect(small.paths(`.${'a'.repeat(30)}`, {})).rejects.toThrow(
        'the expression is longer than 20 characters',
      );
    } finally {
      await small.close();
    }
  });

  it('evaluates the expressions of matching rules on both sides, and never prints a Secret value in an error', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'credentials', namespace: 'shop' },
      data: { password: Buffer.from('hunter2-S3cret').toString('base64') },
    };
    const result = await evaluateJqPaths(
      [
        {
          kind: 'Secret',
          jqPathExpressions: ['.data.password | error', '.data.password'],
        },
        { kind: 'ConfigMap', jqPathExpressions: ['.never'] },
      ],
      secret,
      secret,
      runner,
    );
    expect(result).toEqual({
      '.data.password | error': { error: expect.stringContaining('++++++++') },
      '.data.password': {
        desired: [['data', 'password']],
        live: [['data', 'password']],
      },
    });
    expect(JSON.stringify(result)).not.toContain(secret.data.password);
  });
});
