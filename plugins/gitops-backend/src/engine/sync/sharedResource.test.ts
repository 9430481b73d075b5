import {
  SYNC_OPTIONS,
  annotate,
  configMap,
  plan,
  tracked,
} from './__testing__/simulate';

describe('FailOnSharedResource', () => {
  const ownedByOther = tracked(configMap('settings'), 'billing');

  it('fails the sync, naming the other application, when asked to', () => {
    const state = plan([configMap('settings'), configMap('other')], {
      live: [ownedByOther],
      options: { syncOptions: ['FailOnSharedResource=true'] },
    });
    expect(state.phase).toBe('Failed');
    expect(state.tasks).toEqual([]);
    expect(state.message).toBe(
      'ConfigMap/shop/settings is already managed by application billing (FailOnSharedResource=true)',
    );
  });

  it('honours the option per resource, and takes a shared resource over without it', () => {
    expect(
      plan(
        [
          annotate(
            configMap('settings'),
            SYNC_OPTIONS,
            'FailOnSharedResource=true',
          ),
        ],
        {
          live: [ownedByOther],
        },
      ).phase,
    ).toBe('Failed');
    const taken = plan([configMap('settings')], { live: [ownedByOther] });
    expect(taken.phase).toBe('Running');
    expect(taken.tasks.map(t => t.name)).toEqual(['settings']);
  });

  it('does not mind objects this application or nobody tracks', () => {
    const state = plan([configMap('settings'), configMap('free')], {
      live: [tracked(configMap('settings'), 'shop'), configMap('free')],
      options: { syncOptions: ['FailOnSharedResource=true'] },
    });
    expect(state.phase).toBe('Running');
  });
});
