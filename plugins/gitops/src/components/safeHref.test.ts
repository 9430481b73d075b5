import { safeHref } from './safeHref';

describe('safeHref', () => {
  it.each(['https://git.example.com/a.git', 'http://localhost:8080/x'])(
    'keeps %s',
    url => expect(safeHref(url)).toBe(url),
  );
  it('links without the (masked) credentials of a URL', () => {
    expect(safeHref('https://***@git.example.com/a.git')).toBe(
      'https://git.example.com/a.git',
    );
  });
  it.each([
    // eslint-disable-next-line no-script-url
    'javascript:alert(1)',
    // eslint-disable-next-line no-script-url
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>',
    'git@github.com:org/repo.git',
    'ssh://git@host/repo',
    '',
    undefined,
  ])('refuses %s', url => expect(safeHref(url)).toBeUndefined());
});
