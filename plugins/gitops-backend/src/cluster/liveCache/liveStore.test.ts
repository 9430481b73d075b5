import { TRACKING_ID_ANNOTATION } from '@backstage-gitops/plugin-gitops-common';
import { KubeObject } from '../ClusterClient';
import { LiveStore, applicationsOf, kindIdOf } from './liveStore';

const CONFIG_MAPS = kindIdOf('v1', 'ConfigMap');
const NAMESPACES = kindIdOf('v1', 'Namespace');

/** A ConfigMap as the server lists it (no apiVersion/kind on list items). */
function configMap(
  name: string,
  resourceVersion: string,
  trackedBy?: string,
  trackingId = `${trackedBy}:/ConfigMap:shop/${name}`,
): KubeObject {
  return {
    apiVersion: '',
    kind: '',
    metadata: {
      name,
      namespace: 'shop',
      resourceVersion,
      ...(trackedBy
        ? { annotations: { [TRACKING_ID_ANNOTATION]: trackingId } }
        : {}),
    },
  };
}

const event = (
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR',
  object: KubeObject | object,
) => ({ type, object: object as KubeObject });

describe('LiveStore', () => {
  it('keeps only tracked objects from a list, with their kind filled in', () => {
    const store = new LiveStore();
    const changes = store.replace(
      CONFIG_MAPS,
      [configMap('a', '5', 'shop'), configMap('b', '6')],
      '10',
    );
    expect(changes.map(c => c.after?.metadata.name)).toEqual(['a']);
    expect(store.resourceVersion(CONFIG_MAPS)).toBe('10');
    expect(store.get(CONFIG_MAPS, 'shop', 'a')).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
    });
    expect(store.get(CONFIG_MAPS, 'shop', 'b')).toBeUndefined();
    expect(store.size()).toBe(1);
  });

  it('reports only what a relist changed: new versions and objects gone', () => {
    const store = new LiveStore();
    store.replace(
      CONFIG_MAPS,
      [configMap('a', '5', 'shop'), configMap('b', '6', 'shop')],
      '10',
    );
    const changes = store.replace(
      CONFIG_MAPS,
      [configMap('a', '5', 'shop'), configMap('c', '11', 'shop')],
      '12',
    );
    expect(
      changes.map(c => [c.before?.metadata.name, c.after?.metadata.name]),
    ).toEqual([
      [undefined, 'c'],
      ['b', undefined],
    ]);
    expect(store.trackedBy('shop').map(o => o.metadata.name)).toEqual([
      'a',
      'c',
    ]);
  });

  it('applies watch events in order and resumes from the newest version', () => {
    const store = new LiveStore();
    store.replace(CONFIG_MAPS, [], '10');

    const added = store.apply(
      CONFIG_MAPS,
      event('ADDED', configMap('a', '11', 'shop')),
    );
    expect(added.changes).toHaveLength(1);
    expect(store.resourceVersion(CONFIG_MAPS)).toBe('11');

    // Someone else's object changes: nothing to report, but the version moves.
    expect(
      store.apply(CONFIG_MAPS, event('MODIFIED', configMap('x', '12'))).changes,
    ).toEqual([]);
    expect(store.resourceVersion(CONFIG_MAPS)).toBe('12');

    const edited = store.apply(
      CONFIG_MAPS,
      event('MODIFIED', configMap('a', '13', 'shop')),
    );
    expect(edited.changes[0].before?.metadata.resourceVersion).toBe('11');
    expect(edited.changes[0].after?.metadata.resourceVersion).toBe('13');

    const bookmark = store.apply(
      CONFIG_MAPS,
      event('BOOKMARK', {
        kind: 'ConfigMap',
        metadata: { resourceVersion: '20' },
      }),
    );
    expect(bookmark).toEqual({ changes: [], expired: false });
    expect(store.resourceVersion(CONFIG_MAPS)).toBe('20');

    const deleted = store.apply(
      CONFIG_MAPS,
      event('DELETED', configMap('a', '21', 'shop')),
    );
    expect(deleted.changes).toEqual([
      {
        before: expect.objectContaining({ kind: 'ConfigMap' }),
        after: undefined,
      },
    ]);
    expect(store.get(CONFIG_MAPS, 'shop', 'a')).toBeUndefined();
  });

  it('lets go of an object whose tracking id was removed, and says so', () => {
    const store = new LiveStore();
    store.replace(CONFIG_MAPS, [configMap('a', '5', 'shop')], '5');
    const outcome = store.apply(
      CONFIG_MAPS,
      event('MODIFIED', configMap('a', '6')),
    );
    expect(outcome.changes).toHaveLength(1);
    expect(outcome.changes[0].after).toBeUndefined();
    expect(applicationsOf(outcome.changes[0])).toEqual(['shop']);
    expect(store.trackedBy('shop')).toEqual([]);
  });

  it('moves an object between applications when its id changes', () => {
    const store = new LiveStore();
    store.replace(CONFIG_MAPS, [configMap('a', '5', 'shop')], '5');
    const outcome = store.apply(
      CONFIG_MAPS,
      event('MODIFIED', configMap('a', '6', 'cart')),
    );
    expect(applicationsOf(outcome.changes[0]).sort()).toEqual(['cart', 'shop']);
    expect(store.trackedBy('shop')).toEqual([]);
    expect(store.trackedBy('cart').map(o => o.metadata.name)).toEqual(['a']);
  });

  it('does not count a copy carrying another object’s id as the application’s', () => {
    const store = new LiveStore();
    const copy = configMap(
      'copy',
      '5',
      'shop',
      'shop:/ConfigMap:shop/original',
    );
    const changes = store.replace(CONFIG_MAPS, [copy], '5');
    expect(changes.flatMap(applicationsOf)).toEqual([]);
    expect(store.trackedBy('shop')).toEqual([]);
  });

  it('asks for a relist on 410 Gone, and for a new watch on other errors', () => {
    const store = new LiveStore();
    expect(
      store.apply(
        CONFIG_MAPS,
        event('ERROR', { code: 410, reason: 'Expired' }),
      ),
    ).toEqual({ changes: [], expired: true });
    expect(
      store.apply(CONFIG_MAPS, event('ERROR', { code: 500, message: 'boom' })),
    ).toEqual({ changes: [], expired: false, error: 'boom' });
  });

  it('keeps cluster-scoped objects, and drops a kind that is no longer served', () => {
    const store = new LiveStore();
    const namespace: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'team',
        resourceVersion: '3',
        annotations: { [TRACKING_ID_ANNOTATION]: 'shop:/Namespace:/team' },
      },
    };
    store.replace(NAMESPACES, [namespace], '3');
    store.replace(CONFIG_MAPS, [configMap('a', '5', 'shop')], '5');
    expect(
      store
        .trackedBy('shop')
        .map(o => o.kind)
        .sort(),
    ).toEqual(['ConfigMap', 'Namespace']);
    const dropped = store.drop(CONFIG_MAPS);
    expect(dropped.flatMap(applicationsOf)).toEqual(['shop']);
    expect(store.trackedBy('shop').map(o => o.kind)).toEqual(['Namespace']);
    expect(store.resourceVersion(CONFIG_MAPS)).toBeUndefined();
  });
});
