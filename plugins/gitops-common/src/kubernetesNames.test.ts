import {
  isApplicationName,
  isDns1123Label,
  isDns1123Subdomain,
} from './kubernetesNames';

describe('isApplicationName', () => {
  it('accepts dotted names as Argo CD does', () => {
    expect(isApplicationName('example.guestbook')).toBe(true);
    expect(isApplicationName('a.b-c.d9')).toBe(true);
    expect(isApplicationName('guestbook')).toBe(true);
    expect(isApplicationName('0')).toBe(true);
  });

  it('accepts 253 characters and refuses 254', () => {
    const segment = 'a'.repeat(62);
    const name253 = `${[segment, segment, segment, segment].join('.')}.a`;
    expect(name253).toHaveLength(253);
    expect(isApplicationName(name253)).toBe(true);
    expect(isApplicationName(`${name253}b`)).toBe(false);
    expect(isApplicationName('a'.repeat(253))).toBe(true);
    expect(isApplicationName('a'.repeat(254))).toBe(false);
  });

  it('refuses what Kubernetes refuses', () => {
    for (const bad of [
      '',
      'Example',
      'example.Guestbook',
      '.example',
      'example.',
      'example..guestbook',
      '-example',
      'example-',
      'example.-guestbook',
      'example_guestbook',
      'example/guestbook',
      'example:guestbook',
      'example guestbook',
    ]) {
      expect([bad, isApplicationName(bad)]).toEqual([bad, false]);
    }
  });
});

describe('isDns1123Subdomain', () => {
  it('is the application name check', () => {
    expect(isDns1123Subdomain('example.guestbook')).toBe(true);
    expect(isDns1123Subdomain('Example')).toBe(false);
  });
});

describe('isDns1123Label', () => {
  it('accepts 63 characters without dots and refuses 64 or a dot', () => {
    expect(isDns1123Label('a'.repeat(63))).toBe(true);
    expect(isDns1123Label('a'.repeat(64))).toBe(false);
    expect(isDns1123Label('example.guestbook')).toBe(false);
    expect(isDns1123Label('Guestbook')).toBe(false);
  });
});
