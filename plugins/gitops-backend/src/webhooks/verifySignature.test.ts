import { createHmac } from 'node:crypto';
import { verifyHmacSha256, verifySharedSecret } from './verifySignature';

describe('webhook signatures', () => {
  const body = Buffer.from('{"ref":"refs/heads/main"}');
  const sign = (secret: string, bytes = body) =>
    `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

  it('accepts an HMAC of the exact bytes with the right secret only', () => {
    expect(verifyHmacSha256(body, sign('s3cret'), 's3cret')).toBe(true);
    expect(verifyHmacSha256(body, sign('other'), 's3cret')).toBe(false);
    expect(
      verifyHmacSha256(Buffer.from(`${body} `), sign('s3cret'), 's3cret'),
    ).toBe(false);
    expect(verifyHmacSha256(body, undefined, 's3cret')).toBe(false);
    expect(verifyHmacSha256(body, sign('s3cret').slice(7), 's3cret')).toBe(
      false,
    );
  });

  it('compares shared secrets exactly', () => {
    expect(verifySharedSecret('s3cret', 's3cret')).toBe(true);
    expect(verifySharedSecret('s3cre', 's3cret')).toBe(false);
    expect(verifySharedSecret(undefined, 's3cret')).toBe(false);
  });
});
