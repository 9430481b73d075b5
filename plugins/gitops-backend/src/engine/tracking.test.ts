import { annotate, newObject } from './__testing__/builders';
import {
  formatTrackingId,
  isTrackedBy,
  parseTrackingId,
  trackingIdFor,
} from './tracking';

describe('tracking ids', () => {
  it('formats the core group and cluster scope as empty strings', () => {
    expect(
      trackingIdFor('guestbook', newObject('v1', 'Service', 'web', 'default')),
    ).toBe('guestbook:/Service:default/web');
    expect(
      trackingIdFor('guestbook', newObject('v1', 'Namespace', 'shop')),
    ).toBe('guestbook:/Namespace:/shop');
    expect(
      trackingIdFor('shop', newObject('apps/v1', 'Deployment', 'cart', 'shop')),
    ).toBe('shop:apps/Deployment:shop/cart');
  });

  it('parses what it formats', () => {
    const id = {
      appName: 'argocd_guestbook',
      group: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      namespace: '',
      name: 'reader',
    };
    expect(parseTrackingId(formatTrackingId(id))).toEqual(id);
    expect(parseTrackingId('guestbook:/Service:default/web')).toEqual({
      appName: 'guestbook',
      group: '',
      kind: 'Service',
      namespace: 'default',
      name: 'web',
    });
  });

  it.each([
    'guestbook',
    'guestbook:Service:default/web',
    ':/Service:default/web',
    'guestbook:/Service:default/',
    'guestbook:/:default/web',
    'a:b:/Service:default/web',
  ])('refuses %s', text => {
    expect(parseTrackingId(text)).toBeUndefined();
  });
});

describe('isTrackedBy', () => {
  const key = 'argocd.argoproj.io/tracking-id';
  const web = newObject('v1', 'Service', 'web', 'default');

  it('is true only for the application named in a matching id', () => {
    const tracked = annotate(web, key, 'guestbook:/Service:default/web');
    expect(isTrackedBy(tracked, 'guestbook')).toBe(true);
    expect(isTrackedBy(tracked, 'other')).toBe(false);
    expect(isTrackedBy(web, 'guestbook')).toBe(false);
  });

  it('does not claim a copy that carries another object’s id', () => {
    const copy = annotate(
      newObject('v1', 'Service', 'web-copy', 'default'),
      key,
      'guestbook:/Service:default/web',
    );
    expect(isTrackedBy(copy, 'guestbook')).toBe(false);
  });
});
