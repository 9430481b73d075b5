import { Entity } from '@backstage/catalog-model';

export function componentEntity(
  annotations: Record<string, string> = {
    'gitops.backstage.io/repo-url': 'https://git.example.com/shop.git',
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'cart', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}
