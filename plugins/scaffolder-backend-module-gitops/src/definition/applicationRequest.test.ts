import { z } from 'zod/v3';
import { applicationFields } from './applicationRequest';

describe('applicationFields', () => {
  const name = applicationFields.name(z);
  const namespace = applicationFields.destination(z).shape.namespace;

  it('accepts the application names Kubernetes accepts for an Argo CD Application', () => {
    expect(name.safeParse('example.guestbook').success).toBe(true);
    expect(name.safeParse('a'.repeat(253)).success).toBe(true);
    expect(name.safeParse('a'.repeat(254)).success).toBe(false);
    expect(name.safeParse('Example').success).toBe(false);
    expect(name.safeParse('.example').success).toBe(false);
  });

  it('keeps namespaces to DNS-1123 labels', () => {
    expect(namespace.safeParse('shop').success).toBe(true);
    expect(namespace.safeParse('example.shop').success).toBe(false);
  });
});
