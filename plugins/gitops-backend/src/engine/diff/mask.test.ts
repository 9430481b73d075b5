import { Manifest } from '../manifest';
import { SECRET_VALUES, base64, secret, service } from './__testing__/objects';
import {
  CHANGED_SECRET_MASK,
  SECRET_MASK,
  maskSecret,
  maskSecretPair,
} from './mask';

const CLEAR = Object.values(SECRET_VALUES).flatMap(v => [v, base64(v)]);

/** Neither a clear value nor its base64 form appears anywhere in the output. */
function expectNoClearValue(value: unknown, clear: string[] = CLEAR) {
  const text = JSON.stringify(value);
  for (const secretText of clear) {
    expect(text).not.toContain(secretText.replace(/=+$/, ''));
  }
}

function withData(obj: Manifest, data: Record<string, unknown>): Manifest {
  return { ...obj, data };
}

describe('maskSecret', () => {
  it('masks every data value of a Secret', () => {
    const masked = maskSecret(secret());
    expect(masked.data).toEqual({ password: SECRET_MASK, user: SECRET_MASK });
    expectNoClearValue(masked);
  });

  it('masks stringData and an invalid Secret whose data is not base64', () => {
    const obj = {
      ...secret(),
      data: { password: SECRET_VALUES.password },
      stringData: { user: SECRET_VALUES.user },
    };
    const masked = maskSecret(obj);
    expect(masked.data).toEqual({ password: SECRET_MASK });
    expect(masked.stringData).toEqual({ user: SECRET_MASK });
    expectNoClearValue(masked);
  });

  it('masks data that is not even a map', () => {
    const masked = maskSecret({ ...secret(), data: SECRET_VALUES.password });
    expect(masked.data).toBe(SECRET_MASK);
    expectNoClearValue(masked);
  });

  it('masks last-applied-configuration on any kind', () => {
    const obj = service();
    obj.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(
        secret(),
      ),
    };
    const masked = maskSecret(obj);
    expect(
      masked.metadata.annotations?.[
        'kubectl.kubernetes.io/last-applied-configuration'
      ],
    ).toBe(SECRET_MASK);
    expectNoClearValue(masked);
  });

  it('leaves other kinds and its argument alone', () => {
    const configMap = { ...service(), kind: 'ConfigMap', data: { a: 'b' } };
    expect(maskSecret(configMap)).toEqual(configMap);
    const obj = secret();
    maskSecret(obj);
    expect(obj).toEqual(secret());
  });
});

describe('maskSecretPair', () => {
  it('masks equal values identically and changed values differently', () => {
    const live = secret();
    const desired = withData(secret(), {
      ...secret().data!,
      password: base64('correct-horse'),
      token: base64('token-value-1'),
    });
    const masked = maskSecretPair(desired, live);
    expect(masked.desired?.data).toEqual({
      password: CHANGED_SECRET_MASK,
      user: SECRET_MASK,
      token: SECRET_MASK,
    });
    expect(masked.live?.data).toEqual({
      password: SECRET_MASK,
      user: SECRET_MASK,
    });
    expectNoClearValue(masked, [
      ...CLEAR,
      'correct-horse',
      base64('correct-horse'),
      'token-value-1',
      base64('token-value-1'),
    ]);
  });

  it('gives the same output for the same input, so nothing leaks by salt', () => {
    expect(maskSecretPair(secret(), secret())).toEqual(
      maskSecretPair(secret(), secret()),
    );
  });

  it('masks last-applied-configuration on both sides', () => {
    const key = 'kubectl.kubernetes.io/last-applied-configuration';
    const annotated = (text: string) => {
      const obj = service();
      obj.metadata.annotations = { [key]: text };
      return obj;
    };
    const masked = maskSecretPair(
      annotated(JSON.stringify(secret())),
      annotated(JSON.stringify({ ...secret(), data: {} })),
    );
    expect(masked.desired?.metadata.annotations?.[key]).toBe(
      CHANGED_SECRET_MASK,
    );
    expect(masked.live?.metadata.annotations?.[key]).toBe(SECRET_MASK);
    expectNoClearValue(masked);
  });

  it('masks a Secret that exists on one side only', () => {
    const masked = maskSecretPair(undefined, secret());
    expect(masked.desired).toBeUndefined();
    expect(masked.live?.data).toEqual({
      password: SECRET_MASK,
      user: SECRET_MASK,
    });
  });
});
