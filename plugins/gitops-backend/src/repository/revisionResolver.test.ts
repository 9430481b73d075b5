import { GitMirrors } from './gitMirrors';
import { createRevisionResolver } from './revisionResolver';

const URL = 'https://git.example.com/org/apps.git';

/**
 * Pure logic of sharing fetches, so a fake mirror: each fetch waits until the
 * test releases it, and brings the remote's commit as it was at its start.
 */
function fakeMirrors() {
  let remote = 'a'.repeat(40);
  let local = '';
  const pending: (() => void)[] = [];
  const mirrors = {
    fetch: jest.fn(() => {
      const seen = remote;
      return new Promise<void>(resolve =>
        pending.push(() => {
          local = seen;
          resolve();
        }),
      );
    }),
    resolveRevision: jest.fn(async () => local),
  };
  return {
    mirrors: mirrors as unknown as GitMirrors,
    fetches: () => mirrors.fetch.mock.calls.length,
    push: (sha: string) => {
      remote = sha;
    },
    /** Lets every fetch started so far finish. */
    release: async () => {
      for (const done of pending.splice(0)) done();
      await new Promise(resolve => setImmediate(resolve));
    },
  };
}

describe('createRevisionResolver', () => {
  it('joins a fetch in flight and reuses a finished one within the time allowed', async () => {
    const git = fakeMirrors();
    let now = 0;
    const resolver = createRevisionResolver({
      mirrors: git.mirrors,
      ttlMs: 1000,
      now: () => now,
    });
    const cached = { allowCached: true };
    const running = [1, 2, 3].map(() => resolver.resolve(URL, 'main', cached));
    await git.release();
    await Promise.all(running);
    now = 999;
    await resolver.resolve(URL, 'main', cached);
    expect(git.fetches()).toBe(1);
    // Without permission to reuse, Git is asked.
    const asked = resolver.resolve(URL, 'main');
    await git.release();
    await asked;
    now = 2000 + 999;
    expect(git.fetches()).toBe(2);
    // Time is counted from the start of the last fetch.
    const later = resolver.resolve(URL, 'main', cached);
    await git.release();
    await later;
    expect(git.fetches()).toBe(3);
  });

  it('does not join a fetch that started before a push was announced', async () => {
    const git = fakeMirrors();
    const resolver = createRevisionResolver({
      mirrors: git.mirrors,
      ttlMs: 60_000,
    });
    const early = resolver.resolve(URL, 'main', { allowCached: true });
    const pushed = 'b'.repeat(40);
    git.push(pushed);
    resolver.invalidate(URL);
    const [one, two] = [1, 2].map(() =>
      resolver.resolve(URL, 'main', { allowCached: true }),
    );
    await git.release(); // the early fetch
    await git.release(); // the one queued behind it, shared by both
    expect(await early).toBe('a'.repeat(40));
    expect([await one, await two]).toEqual([pushed, pushed]);
    expect(git.fetches()).toBe(2);
  });

  it('fetches at once on a hard refresh', async () => {
    const git = fakeMirrors();
    const resolver = createRevisionResolver({
      mirrors: git.mirrors,
      ttlMs: 60_000,
    });
    const first = resolver.resolve(URL, 'main', { allowCached: true });
    await git.release();
    await first;
    git.push('c'.repeat(40));
    const hard = resolver.resolve(URL, 'main', {
      allowCached: true,
      hard: true,
    });
    await git.release();
    expect(await hard).toBe('c'.repeat(40));
  });

  it('keeps no failure: the next request asks again', async () => {
    const git = fakeMirrors();
    const mirrors = git.mirrors as unknown as { fetch: jest.Mock };
    mirrors.fetch.mockRejectedValueOnce(new Error('unreachable'));
    const resolver = createRevisionResolver({
      mirrors: git.mirrors,
      ttlMs: 60_000,
    });
    await expect(
      resolver.resolve(URL, 'main', { allowCached: true }),
    ).rejects.toThrow('unreachable');
    const retry = resolver.resolve(URL, 'main', { allowCached: true });
    await git.release();
    await expect(retry).resolves.toBe('a'.repeat(40));
    expect(git.fetches()).toBe(2);
  });
});
