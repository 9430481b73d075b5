import { Manifest } from '../manifest';
import {
  SECRET_VALUES,
  base64,
  deployment,
  hpa,
  secret,
  service,
} from './__testing__/objects';
import { compareExtraneous, compareResource } from './compare';
import { CHANGED_SECRET_MASK, SECRET_MASK } from './mask';

type Container = { name: string; image: string; env?: unknown[] };
type PodSpec = { containers: Container[] };

function podSpec(obj: Manifest): PodSpec {
  return (obj.spec as { template: { spec: PodSpec } }).template.spec;
}

function setReplicas(obj: Manifest, replicas: number): Manifest {
  (obj.spec as { replicas: number }).replicas = replicas;
  return obj;
}

/** The live object a while later: same spec, new server bookkeeping. */
function liveAfterAWhile(obj: Manifest): Manifest {
  obj.metadata.resourceVersion = '99999';
  obj.metadata.generation = 9;
  obj.metadata.managedFields = [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:replicas': {} } },
      subresource: 'status',
    },
  ];
  obj.metadata.annotations = {
    ...obj.metadata.annotations,
    'deployment.kubernetes.io/revision': '9',
    'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}',
  };
  obj.status = { replicas: 3, readyReplicas: 1 };
  return obj;
}

function compare(desired: Manifest, live: Manifest | undefined, extra = {}) {
  return compareResource({ desired, live, manifest: desired, ...extra });
}

describe('compareResource', () => {
  it('is Synced when both sides carry the server defaults', () => {
    for (const make of [deployment, service, secret]) {
      const result = compare(make(), make());
      expect(result.status).toBe('Synced');
      expect(result.diff.changes).toEqual([]);
      expect(result.diff.desiredText).toBe(result.diff.liveText);
    }
  });

  it('ignores managedFields, resourceVersion, status and revision changes', () => {
    const result = compare(deployment(), liveAfterAWhile(deployment()));
    expect(result).toMatchObject({ status: 'Synced', ignored: [], notes: [] });
    expect(result.diff.changes).toEqual([]);
    expect(result.diff.liveText).not.toContain('resourceVersion');
  });

  it('detects a changed env var at its path', () => {
    const desired = deployment();
    podSpec(desired).containers[0].env = [
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'CACHE_URL', value: 'redis://cache:6379' },
    ];
    const result = compare(desired, liveAfterAWhile(deployment()));
    expect(result.status).toBe('OutOfSync');
    expect(result.diff.changes).toEqual([
      {
        path: '/spec/template/spec/containers/0/env/0/value',
        op: 'replace',
        desired: 'debug',
        live: 'info',
      },
    ]);
    expect(result.diff.desiredText).toContain('value: debug');
    expect(result.diff.liveText).toContain('value: info');
  });

  it('matches reordered containers by name', () => {
    const live = deployment();
    podSpec(live).containers.reverse();
    const reordered = compare(deployment(), live);
    expect(reordered.status).toBe('Synced');
    expect(reordered.diff.liveText).toBe(reordered.diff.desiredText);

    const desired = deployment();
    podSpec(desired).containers[1].image = 'registry.example.com/exporter:1.0';
    const result = compare(desired, live);
    expect(result.diff.changes).toEqual([
      {
        path: '/spec/template/spec/containers/1/image',
        op: 'replace',
        desired: 'registry.example.com/exporter:1.0',
        live: 'registry.example.com/exporter:0.9',
      },
    ]);
  });

  it('leaves spec.replicas to an HPA that targets the workload, and says so', () => {
    const live = setReplicas(deployment(), 7);
    expect(compare(deployment(), live).status).toBe('OutOfSync');
    const result = compare(deployment(), live, { hpas: [hpa('cart-hpa')] });
    expect(result.status).toBe('Synced');
    expect(result.ignored).toEqual([
      {
        path: '/spec/replicas',
        reason: 'HorizontalPodAutoscaler cart-hpa',
        differs: true,
      },
    ]);
  });

  it('applies a jsonPointer rule with a ~1 escape', () => {
    const live = deployment();
    live.metadata.annotations = {
      ...live.metadata.annotations,
      'example.com/scanned-at': '2025-01-11',
    };
    expect(compare(deployment(), live).status).toBe('OutOfSync');
    const rules = [
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: ['/metadata/annotations/example.com~1scanned-at'],
      },
    ];
    const result = compare(deployment(), live, { rules });
    expect(result.status).toBe('Synced');
    expect(result.ignored.map(i => i.path)).toEqual([
      '/metadata/annotations/example.com~1scanned-at',
    ]);
  });

  it('applies a managedFieldsManagers rule from the live managedFields', () => {
    const live = setReplicas(deployment(), 5);
    live.metadata.managedFields = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
        subresource: 'scale',
      },
    ];
    const rules = [
      {
        group: 'apps',
        kind: 'Deployment',
        managedFieldsManagers: ['kube-controller-manager'],
      },
    ];
    expect(compare(deployment(), live).status).toBe('OutOfSync');
    const result = compare(deployment(), live, { rules });
    expect(result.status).toBe('Synced');
    expect(result.ignored).toEqual([
      {
        path: '/spec/replicas',
        reason:
          'ignoreDifferences: managedFieldsManagers kube-controller-manager',
        differs: true,
      },
    ]);
  });

  it('masks Secrets on both sides and still shows which key changed', () => {
    const desired = secret();
    desired.data = {
      password: base64('correct-horse'),
      user: base64(SECRET_VALUES.user),
    };
    const live = secret();
    live.metadata.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(live),
    };
    const result = compare(desired, live);
    expect(result.status).toBe('OutOfSync');
    expect(result.diff.changes).toEqual([
      {
        path: '/data/password',
        op: 'replace',
        desired: CHANGED_SECRET_MASK,
        live: SECRET_MASK,
      },
    ]);
    const text = JSON.stringify(result);
    for (const clear of [...Object.values(SECRET_VALUES), 'correct-horse']) {
      expect(text).not.toContain(clear);
      expect(text).not.toContain(base64(clear).replace(/=+$/, ''));
    }
  });

  it('reports a missing object as the whole object to add, masked', () => {
    const result = compare(secret(), undefined);
    expect(result.status).toBe('OutOfSync');
    expect(result.diff.changes).toEqual([
      {
        path: '',
        op: 'add',
        desired: expect.objectContaining({
          kind: 'Secret',
          data: { password: SECRET_MASK, user: SECRET_MASK },
        }),
      },
    ]);
    expect(result.diff.liveText).toBe('');
    expect(JSON.stringify(result)).not.toContain(SECRET_VALUES.password);
  });

  it('sees a label added in the cluster to a Service', () => {
    const live = service();
    live.metadata.labels = { team: 'checkout' };
    const result = compare(service(), live);
    expect(result.diff.changes).toEqual([
      { path: '/metadata/labels', op: 'remove', live: { team: 'checkout' } },
    ]);
  });

  it('passes on rules and options it could not apply', () => {
    const rules = [
      { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec'] },
    ];
    const manifest = deployment();
    manifest.metadata.annotations = {
      'argocd.argoproj.io/compare-options': 'Bogus',
    };
    const result = compareResource({
      desired: deployment(),
      live: deployment(),
      manifest,
      rules,
    });
    expect(result.status).toBe('Synced');
    expect(result.notes.map(n => [n.source, n.problem, n.expression])).toEqual([
      ['compareOptions', 'unsupported', 'Bogus'],
      ['jqPathExpressions', 'unsupported', '.spec'],
    ]);
  });

  it('never reports OutOfSync with an empty diff', () => {
    const cases: [Manifest, Manifest | undefined][] = [
      [deployment(), liveAfterAWhile(deployment())],
      [setReplicas(deployment(), 1), deployment()],
      [service(), service()],
      [secret(), undefined],
    ];
    for (const [desired, live] of cases) {
      const result = compare(desired, live);
      expect(result.status === 'OutOfSync').toBe(
        result.diff.changes.length > 0,
      );
    }
  });
});

describe('compareExtraneous', () => {
  it('is OutOfSync with the whole live object to remove, masked', () => {
    const result = compareExtraneous(secret());
    expect(result.status).toBe('OutOfSync');
    expect(result.diff.changes).toEqual([
      {
        path: '',
        op: 'remove',
        live: expect.objectContaining({
          data: { password: SECRET_MASK, user: SECRET_MASK },
        }),
      },
    ]);
    expect(result.diff.desiredText).toBe('');
  });

  it('does not count with the IgnoreExtraneous compare option', () => {
    const live = service();
    live.metadata.annotations = {
      'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
    };
    const result = compareExtraneous(live);
    expect(result.status).toBe('Synced');
    expect(result.diff.changes).toEqual([]);
    expect(result.ignored).toEqual([
      { path: '', reason: 'compare option IgnoreExtraneous', differs: true },
    ]);
    expect(result.diff.liveText).toContain('kind: Service');
  });
});
