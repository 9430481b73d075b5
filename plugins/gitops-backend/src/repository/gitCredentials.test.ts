import { access, readFile, stat } from 'node:fs/promises';
import { prepareCredentials } from './gitCredentials';

describe('prepareCredentials', () => {
  it('only disables ssh prompts when there are no credentials', async () => {
    const prepared = await prepareCredentials(undefined);
    expect(prepared.env).toEqual({ GIT_SSH_COMMAND: 'ssh -o BatchMode=yes' });
    expect(prepared.secrets).toEqual([]);
  });

  it('sends a token as a Basic authorization header through the environment', async () => {
    const prepared = await prepareCredentials({
      username: 'bot',
      token: 'tok-123456',
    });
    const basic = Buffer.from('bot:tok-123456').toString('base64');

    expect(prepared.env).toMatchObject({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
    expect(prepared.secrets).toEqual(['tok-123456', basic]);
  });

  it('writes an ssh key readable only by us, and removes it on dispose', async () => {
    const prepared = await prepareCredentials({ sshKey: 'KEY MATERIAL' });
    const keyFile =
      /-i '([^']+)'/.exec(prepared.env.GIT_SSH_COMMAND)?.[1] ?? '';

    expect(prepared.env.GIT_SSH_COMMAND).toContain('BatchMode=yes');
    expect(await readFile(keyFile, 'utf8')).toBe('KEY MATERIAL\n');
    expect((await stat(keyFile)).mode & 0o077).toBe(0);

    await prepared.dispose();
    await expect(access(keyFile)).rejects.toThrow();
  });
});
