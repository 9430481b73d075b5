import { testKubeConfig } from './__testUtils__/testCluster';
import { createKubeRequester } from './kubeRequest';
import { WatchEvent, createWatchOpener } from './kubeWatch';

jest.setTimeout(60_000);

describe('watches on the test cluster', () => {
  const kc = testKubeConfig();
  // A kind nothing writes to while the tests run.
  const path = '/apis/scheduling.k8s.io/v1/priorityclasses';

  async function currentVersion() {
    const list = await createKubeRequester(kc)<{
      metadata: { resourceVersion: string };
    }>({ method: 'GET', path });
    return list.metadata.resourceVersion;
  }

  it('ends cleanly when the server ends the watch at its timeoutSeconds', async () => {
    const events: WatchEvent[] = [];
    const stream = await createWatchOpener(kc)(
      path,
      { resourceVersion: await currentVersion(), timeoutSeconds: '1' },
      event => events.push(event),
    );
    await expect(stream.ended).resolves.toBeUndefined();
    expect(events).toEqual([]);
  });

  it('gives up on a connection that stays silent longer than its guard', async () => {
    const stream = await createWatchOpener(kc, { idleTimeoutMs: 500 })(
      path,
      { resourceVersion: await currentVersion() },
      () => {},
    );
    await expect(stream.ended).rejects.toThrow(/silent for 500 ms/);
  });

  it('answers a refused watch with the API error', async () => {
    await expect(
      createWatchOpener(kc)('/apis/example.com/v1/nothings', {}, () => {}),
    ).rejects.toMatchObject({ name: 'KubeApiError', statusCode: 404 });
  });
});
