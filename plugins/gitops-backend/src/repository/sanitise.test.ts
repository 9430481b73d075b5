import { redactSecrets } from './sanitise';

describe('redactSecrets', () => {
  it('removes the secrets it is given, wherever they appear', () => {
    expect(
      redactSecrets('bad token tok-12345 for tok-12345', ['tok-12345']),
    ).toBe('bad token *** for ***');
  });

  it('removes authorization headers git might echo', () => {
    const text = 'trace: Authorization: Basic Z2l0OnNlY3JldA==\nnext line';
    expect(redactSecrets(text)).toBe('trace: Authorization: ***\nnext line');
  });

  it('removes bearer and basic credentials outside a header', () => {
    expect(redactSecrets('sent Bearer abcdefgh12345678 upstream')).toBe(
      'sent Bearer *** upstream',
    );
  });

  it('masks user and password in URLs but keeps the host', () => {
    expect(
      redactSecrets("fatal: unable to access 'https://user:pa55@host/r.git/'"),
    ).toBe("fatal: unable to access 'https://***@host/r.git/'");
    expect(redactSecrets('https://ghp_token@github.com/o/r')).toBe(
      'https://***@github.com/o/r',
    );
    expect(redactSecrets('ssh://git:pw@host/r')).toBe('ssh://git:***@host/r');
  });

  it('leaves ordinary text and ssh users alone', () => {
    expect(redactSecrets('ssh://git@host/r: not found', ['ab'])).toBe(
      'ssh://git@host/r: not found',
    );
  });
});
