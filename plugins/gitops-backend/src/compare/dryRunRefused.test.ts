import { deployment, yaml } from '../__testUtils__/manifests';
import { useLoopFixture } from '../__testUtils__/loopFixture';
import { createReconcileLoop, kubectl } from '../__testUtils__/reconcileLoop';

jest.setTimeout(180_000);

// A Service as the Kubernetes documentation writes one: a named port.
const service = yaml({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: {
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  },
});

describe('a refresh whose server-side dry run the API server refuses', () => {
  const fixture = useLoopFixture('dry-run-refused');

  it('warns, stays OutOfSync, and selfHeal repairs the live edit', async () => {
    const { repo, namespace, cluster } = fixture();
    await repo.commit({ 'deploy/web.yaml': service });
    const app = fixture().application('heal', 'deploy', {
      automated: { prune: false, selfHeal: true, allowEmpty: false },
    });
    const loop = await createReconcileLoop({ ...fixture(), app: () => app });
    await loop.refresh();
    await loop.settle();
    expect((await loop.status())?.sync).toBe('Synced');

    // As a person would: the port changed in place, its name dropped. Server-
    // side apply of Git's port 80 now merges into two ports, one unnamed.
    await kubectl(
      '-n',
      namespace,
      'patch',
      'service',
      'web',
      '--type=merge',
      '-p',
      '{"spec":{"ports":[{"port":81,"targetPort":8080}]}}',
    );
    const ports = async () =>
      (
        await cluster.get({
          apiVersion: 'v1',
          kind: 'Service',
          namespace,
          name: 'web',
        })
      )?.spec as { ports: { name?: string; port: number }[] };
    expect((await ports()).ports.map(p => [p.name, p.port])).toEqual([
      [undefined, 81],
    ]);
    const syncsBefore = (
      await loop.operations.listOperations(app.name, { offset: 0, limit: 100 })
    ).totalItems;

    const drifted = await loop.refresh();
    expect(drifted.sync).toBe('OutOfSync');
    expect(drifted.conditions).toEqual([
      {
        type: 'Warning',
        message: `Service/${namespace}/web: the API server refused a server-side dry run: Service "web" is invalid: spec.ports[0].name: Required value; compared with a merge-patch dry run instead, as a sync writes it`,
      },
    ]);

    // The refresh started a selfHeal sync, which repaired the port.
    await loop.settle();
    const repair = await loop.latestOperation();
    expect(
      (
        await loop.operations.listOperations(app.name, {
          offset: 0,
          limit: 100,
        })
      ).totalItems,
    ).toBe(syncsBefore + 1);
    expect([repair.initiatedBy, repair.phase]).toEqual([
      'automated',
      'Succeeded',
    ]);
    const detail = await loop.operations.getOperation(app.name, repair.id);
    expect(detail?.tasks.find(t => t.name === 'web')?.message).toContain(
      'written with a merge patch',
    );
    expect((await ports()).ports.map(p => [p.name, p.port])).toEqual([
      ['http', 80],
    ]);
    const healed = await loop.refresh();
    expect(healed.sync).toBe('Synced');
    expect(healed.conditions ?? []).toEqual([]);
  });

  it('names the field and the fix when the object truly cannot be applied', async () => {
    const { repo, namespace } = fixture();
    await repo.commit({ 'deploy/web.yaml': deployment('web') });
    const app = fixture().application('immutable', 'deploy', {
      automated: { prune: false, selfHeal: true, allowEmpty: false },
    });
    const loop = await createReconcileLoop({ ...fixture(), app: () => app });
    await loop.refresh();
    await loop.settle();
    expect((await loop.status())?.sync).toBe('Synced');

    // A Deployment's selector cannot change once set.
    const changed = JSON.parse(deployment('web'));
    changed.spec.selector.matchLabels = { app: 'web', tier: 'front' };
    changed.spec.template.metadata.labels = { app: 'web', tier: 'front' };
    await repo.commit({ 'deploy/web.yaml': yaml(changed) });

    const refused = await loop.refresh();
    expect(refused.sync).toBe('OutOfSync');
    const warning = refused.conditions?.find(c => c.type === 'Warning');
    expect(warning?.message).toContain(
      `Deployment/${namespace}/web cannot be applied`,
    );
    await loop.settle();
    const failed = await loop.latestOperation();
    expect(failed.phase).toBe('Failed');
    expect(failed.message).toContain(
      `Deployment/${namespace}/web cannot be applied: server-side apply was refused`,
    );
    expect(failed.message).toContain('Fix the field spec.selector in Git');
    expect(failed.message).toContain(
      'or let the sync rewrite it: the sync option Force=true (argocd.argoproj.io/sync-options on the object) deletes and creates it again',
    );
  });
});
