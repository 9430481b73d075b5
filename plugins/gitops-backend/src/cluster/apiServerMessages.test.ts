import { useTestApplication } from '../__testUtils__/testApplication';

jest.setTimeout(180_000);

const PASSWORD = 'hunter2-apiserver-messages';

// Values of the wrong type, as people write them in YAML: the API server
// refuses them with a 500 whose Status has a message and no reason.
const configMap = (name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  replicas: ${value}
`;
const secret = (port: string) => `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
stringData:
  password: ${PASSWORD}
  port: ${port}
`;

describe('the API server’s message', () => {
  const t = useTestApplication('apimsg');

  it('is the result of a refused apply, Secret values masked', async () => {
    await t.repo.commit({
      'deploy/settings.yaml': configMap('settings', '5'),
      'deploy/db.yaml': secret('54321'),
    });
    const app = t.newApp('apimsg');
    const loop = await t.loop(() => app);

    const operation = await loop.sync();
    expect(operation.phase).toBe('Failed');
    const detail = await loop.operations.getOperation(app.name, operation.id);
    const messages = Object.fromEntries(
      detail!.tasks.map(task => [task.name, task.message]),
    );
    expect(messages.settings).toContain('.data.replicas: expected string');
    expect(messages.db).toContain('.stringData.port: expected string');
    expect(JSON.stringify(detail)).not.toContain('answered 500');
    expect(JSON.stringify(detail)).not.toContain('54321');
    expect(JSON.stringify(detail)).not.toContain(PASSWORD);
  });

  it('is the Warning of a refused dry run, Secret values masked', async () => {
    await t.repo.commit({
      'deploy/settings.yaml': configMap('settings', '"5"'),
      'deploy/db.yaml': secret('"54321"'),
    });
    const app = t.newApp('apimsg');
    const loop = await t.loop(() => app);
    expect((await loop.sync()).phase).toBe('Succeeded');

    await t.repo.commit({
      'deploy/settings.yaml': configMap('settings', '6'),
      'deploy/db.yaml': secret('54322'),
    });
    const status = await loop.refresh();
    const errors = status.conditions!.filter(c => c.type === 'Warning');
    expect(errors.map(c => c.message).join('\n')).toEqual(
      expect.stringMatching(
        /ConfigMap.*settings.*\.data\.replicas: expected string/,
      ),
    );
    const text = JSON.stringify(errors);
    expect(text).toContain('.stringData.port: expected string');
    expect(text).not.toContain('54322');
    expect(text).not.toContain(PASSWORD);
  });
});
