import { stringify } from 'yaml';
import { deployment, secret } from './__testing__/objects';
import { compareResource } from './compare';
import { SECRET_MASK } from './mask';

// Counts the YAML renderings a comparison makes.
jest.mock('yaml', () => {
  const actual = jest.requireActual('yaml');
  return { ...actual, stringify: jest.fn(actual.stringify) };
});
const rendered = stringify as jest.MockedFunction<typeof stringify>;

beforeEach(() => rendered.mockClear());

describe('diff texts', () => {
  it('are not rendered for a resource nobody reads the diff of', () => {
    const result = compareResource({
      desired: deployment(),
      live: deployment(),
      manifest: deployment(),
    });
    expect(result.status).toBe('Synced');
    expect(rendered).not.toHaveBeenCalled();
  });

  it('are rendered once, when first read, and carried by copies', () => {
    const live = deployment();
    (live.spec as { replicas: number }).replicas = 5;
    const result = compareResource({
      desired: deployment(),
      live,
      manifest: deployment(),
    });
    expect(rendered).not.toHaveBeenCalled();
    expect(result.diff.liveText).toContain('replicas: 5');
    expect(result.diff.desiredText).toContain('replicas: 2');
    const copy = JSON.parse(JSON.stringify(result.diff));
    expect(copy.liveText).toBe(result.diff.liveText);
    expect({ ...result.diff }.desiredText).toBe(result.diff.desiredText);
    expect(rendered).toHaveBeenCalledTimes(2);
  });

  it('of a Secret are masked when rendered late', () => {
    const live = secret();
    live.data = { ...(live.data as object), extra: 'c2VjcmV0' };
    const result = compareResource({
      desired: secret(),
      live,
      manifest: secret(),
    });
    expect(result.diff.liveText).toContain(SECRET_MASK);
    expect(result.diff.liveText).not.toContain('c2VjcmV0');
    for (const value of Object.values(secret().data as object)) {
      expect(result.diff.liveText).not.toContain(value);
      expect(result.diff.desiredText).not.toContain(value);
    }
  });
});

describe('a comparison', () => {
  it('never changes the objects it was given, texts read or not', () => {
    const make = () => {
      const live = secret();
      live.metadata.annotations = {
        'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Secret"}',
      };
      live.data = { ...(live.data as object), extra: 'c2VjcmV0' };
      return live;
    };
    const desired = secret();
    const live = make();
    const result = compareResource({
      desired,
      live,
      manifest: desired,
      rules: [{ kind: 'Secret', jsonPointers: ['/data/user'] }],
    });
    expect(result.diff.liveText).toContain(SECRET_MASK);
    expect(desired).toEqual(secret());
    expect(live).toEqual(make());
  });
});
