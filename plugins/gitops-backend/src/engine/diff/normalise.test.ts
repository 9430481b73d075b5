import { deployment, service } from './__testing__/objects';
import { normalise } from './normalise';

describe('normalise', () => {
  it('drops status and the metadata the server owns', () => {
    const result = normalise(deployment());
    expect(result.status).toBeUndefined();
    expect(result.metadata).toEqual({
      name: 'cart',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'cart' },
      annotations: {
        'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/cart',
      },
    });
    expect(result.spec).toEqual(deployment().spec);
  });

  it('drops last-applied-configuration and collapses emptied maps', () => {
    const obj = service();
    obj.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Service"}',
    };
    obj.metadata.deletionTimestamp = '2025-01-11T00:00:00Z';
    obj.metadata.deletionGracePeriodSeconds = 0;
    obj.metadata.selfLink = '/api/v1/namespaces/shop/services/cart';
    expect(normalise(obj).metadata).toEqual({
      name: 'cart',
      namespace: 'shop',
    });
  });

  it('keeps annotations that are ours', () => {
    const obj = service();
    obj.metadata.annotations = { 'example.com/team': 'checkout' };
    expect(normalise(obj).metadata.annotations).toEqual({
      'example.com/team': 'checkout',
    });
  });

  it('never changes its argument', () => {
    const obj = deployment();
    normalise(obj);
    expect(obj).toEqual(deployment());
  });
});
