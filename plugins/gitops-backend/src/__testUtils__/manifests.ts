// Manifests as a Git repository holds them, and waiting for the cluster.

export const yaml = (obj: unknown) => `${JSON.stringify(obj, null, 2)}\n`;
export const b64 = (text: string) => Buffer.from(text).toString('base64');

export const configMap = (name: string, color = 'blue') =>
  yaml({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
    data: { color },
  });

export const deployment = (name: string, replicas = 1) =>
  yaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      },
    },
  });

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}
