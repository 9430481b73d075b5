import { deployment, hpa } from './__testing__/objects';
import { hpaOwningReplicas, replicasOwnedByHpa } from './hpa';

describe('replicasOwnedByHpa', () => {
  it('is true when an HPA in the namespace targets the workload', () => {
    expect(replicasOwnedByHpa(deployment(), [hpa('cart-hpa')])).toBe(true);
    const owner = hpaOwningReplicas(deployment(), [
      hpa('payments-hpa', { name: 'payments' }),
      hpa('cart-hpa'),
    ]);
    expect(owner?.metadata.name).toBe('cart-hpa');
  });

  it.each([
    ['another name', hpa('x', { name: 'payments' })],
    ['another namespace', hpa('x', {}, 'staging')],
    ['another kind', hpa('x', { kind: 'StatefulSet' })],
    ['another API group', hpa('x', { apiVersion: 'argoproj.io/v1alpha1' })],
    ['a lookalike kind', { ...hpa('x'), kind: 'ScaledObject' }],
  ])('is false for %s', (_, candidate) => {
    expect(replicasOwnedByHpa(deployment(), [candidate])).toBe(false);
  });

  it('is false without HPAs', () => {
    expect(replicasOwnedByHpa(deployment(), [])).toBe(false);
  });

  it('matches on kind and name when the reference has no apiVersion', () => {
    const noVersion = hpa('cart-hpa', { apiVersion: undefined });
    expect(replicasOwnedByHpa(deployment(), [noVersion])).toBe(true);
  });
});
