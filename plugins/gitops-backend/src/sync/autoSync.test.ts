import {
  ApplicationDefinition,
  ApplicationStatus,
} from '@backstage-gitops/plugin-gitops-common';
import { pauseDecision, shouldAutoSync } from './autoSync';

const manual: ApplicationDefinition = {
  name: 'shop',
  origin: 'config',
  entityRefs: [],
  source: {
    repoURL: 'https://git.example.com/a.git',
    path: '',
    targetRevision: 'HEAD',
  },
  destination: { cluster: 'in-cluster' },
};
const automated = (selfHeal: boolean): ApplicationDefinition => ({
  ...manual,
  syncPolicy: { automated: { prune: false, selfHeal, allowEmpty: false } },
});
const outOfSync: ApplicationStatus = {
  sync: 'OutOfSync',
  health: 'Missing',
  revision: 'a'.repeat(40),
};

describe('shouldAutoSync', () => {
  it('never syncs a manual application', () => {
    expect(shouldAutoSync({ app: manual, status: outOfSync })).toBe(false);
  });

  it('syncs a new revision once, and again only with selfHeal', () => {
    expect(shouldAutoSync({ app: automated(false), status: outOfSync })).toBe(
      true,
    );
    expect(
      shouldAutoSync({
        app: automated(false),
        status: outOfSync,
        lastAutoSyncRevision: 'a'.repeat(40),
      }),
    ).toBe(false);
    expect(
      shouldAutoSync({
        app: automated(true),
        status: outOfSync,
        lastAutoSyncRevision: 'a'.repeat(40),
      }),
    ).toBe(true);
  });

  it('does not self-heal again at a revision whose last sync failed', () => {
    const revision = 'a'.repeat(40);
    const input = {
      app: automated(true),
      status: outOfSync,
      lastAutoSyncRevision: revision,
    };
    expect(
      shouldAutoSync({
        ...input,
        lastOperation: { revision, phase: 'Failed' },
      }),
    ).toBe(false);
    expect(
      shouldAutoSync({
        ...input,
        lastOperation: { revision, phase: 'Succeeded' },
      }),
    ).toBe(true);
    // A failure at an older revision does not hold back a new one.
    expect(
      shouldAutoSync({
        ...input,
        lastAutoSyncRevision: 'b'.repeat(40),
        lastOperation: { revision: 'b'.repeat(40), phase: 'Failed' },
      }),
    ).toBe(true);
  });

  it('leaves Synced, unknown and broken applications alone', () => {
    const app = automated(true);
    expect(
      shouldAutoSync({ app, status: { ...outOfSync, sync: 'Synced' } }),
    ).toBe(false);
    expect(
      shouldAutoSync({ app, status: { ...outOfSync, revision: undefined } }),
    ).toBe(false);
    expect(
      shouldAutoSync({
        app,
        status: {
          ...outOfSync,
          conditions: [
            { type: 'ComparisonError', message: 'Gadget/g: not served' },
          ],
        },
      }),
    ).toBe(false);
    expect(
      shouldAutoSync({
        app,
        status: {
          ...outOfSync,
          conditions: [{ type: 'Warning', message: 'note' }],
        },
      }),
    ).toBe(true);
    // Argo CD syncs a shared resource too (FailOnSharedResource refuses it).
    expect(
      shouldAutoSync({
        app,
        status: {
          ...outOfSync,
          conditions: [
            {
              type: 'SharedResourceWarning',
              message:
                'ConfigMap/shop/settings is part of applications a and b',
            },
          ],
        },
      }),
    ).toBe(true);
  });

  it('stops selfHeal on a sync loop, but still syncs a new revision once', () => {
    const app = automated(true);
    const looping: ApplicationStatus = {
      ...outOfSync,
      conditions: [{ type: 'SyncLoop', message: 'sync loop: …' }],
    };
    expect(
      shouldAutoSync({
        app,
        status: looping,
        lastAutoSyncRevision: outOfSync.revision,
      }),
    ).toBe(false);
    expect(
      shouldAutoSync({
        app,
        status: outOfSync,
        lastAutoSyncRevision: outOfSync.revision,
      }),
    ).toBe(true);
    expect(
      shouldAutoSync({
        app,
        status: looping,
        lastAutoSyncRevision: 'b'.repeat(40),
      }),
    ).toBe(true);
  });
});

describe('pauseDecision', () => {
  const pause = {
    reason: 'rollback' as const,
    revision: 'o'.repeat(40),
    gitRevision: 'a'.repeat(40),
    operationId: 'op',
    by: 'user:default/guest',
    at: '2026-11-26T00:00:00.000Z',
  };

  it('holds automated sync while Git is where it was at the rollback', () => {
    expect(pauseDecision(pause, 'a'.repeat(40))).toBe('hold');
    expect(pauseDecision(pause, undefined)).toBe('hold');
  });

  it('records the revision first seen when the rollback did not know it', () => {
    const { gitRevision: _unknown, ...unseen } = pause;
    expect(pauseDecision(unseen, 'a'.repeat(40))).toBe('record');
  });

  it('resumes once Git has moved on', () => {
    expect(pauseDecision(pause, 'b'.repeat(40))).toBe('resume');
  });
});
