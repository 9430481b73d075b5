/** @public Why a repository URL was refused, or undefined when it is acceptable. */
export function checkRepoUrl(
  url: string,
  options: { allowHttp?: boolean } = {},
): string | undefined {
  if (url.trim() !== url || url.length === 0) {
    return 'repository URL is empty or has surrounding spaces';
  }
  // Git treats a leading dash as an option and `ext::`/`file::` as transports
  // that run commands or read the local disk.
  if (url.startsWith('-')) return 'repository URL must not start with "-"';
  if (/^[a-z0-9+.-]+::/i.test(url)) {
    return 'repository URL must not use a git remote helper (such as ext:: or file::)';
  }
  const scpLike = /^[\w.-]+@[\w.-]+:(?!\/\/)[^\s]+$/.exec(url);
  if (scpLike) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'repository URL is not a valid URL';
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'ssh:') {
    return undefined;
  }
  if (parsed.protocol === 'http:') {
    return options.allowHttp
      ? undefined
      : 'repository URL uses plain http, which is not enabled';
  }
  return `repository URL scheme "${parsed.protocol.replace(
    ':',
    '',
  )}" is not allowed; use https or ssh`;
}

/**
 * Why a path inside a repository was refused, or undefined when it stays
 * inside the checkout. Symlinks are checked where the files are read.
 *
 * @public
 */
export function checkRepoPath(path: string): string | undefined {
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path)) {
    return `path "${path}" must be relative to the repository root`;
  }
  if (path.split(/[\\/]/).includes('..')) {
    return `path "${path}" must not contain ".."`;
  }
  return undefined;
}

/**
 * The form of a repository URL that decides which mirror serves it, so that
 * `https://Host/org/repo.git/` and `https://host/org/repo` share one. As in
 * Argo CD, only the host is case-insensitive; paths keep their case because
 * some servers treat them as case-sensitive.
 *
 * @public
 */
export function normaliseRepoUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '').replace(/\.git$/, '');
  const scpLike = /^([\w.-]+@)([\w.-]+):(.*)$/.exec(trimmed);
  if (scpLike && !trimmed.includes('://')) {
    return `${scpLike[1]}${scpLike[2].toLowerCase()}:${scpLike[3]}`;
  }
  try {
    const parsed = new URL(trimmed);
    // Credentials in the URL must not split one repository into two mirrors.
    parsed.username = '';
    parsed.password = '';
    // URL lowercases hosts of http(s) only, not of ssh.
    parsed.hostname = parsed.hostname.toLowerCase();
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return trimmed;
  }
}

/**
 * Text (a repository URL, or a message quoting one) with the credentials of
 * every URL in it masked: the whole userinfo of http(s) URLs (a lone user
 * name there is often a token), the password of others. This is the one
 * place that decides how such a URL is shown anywhere: API answers, the UI,
 * conditions, history, logs and scaffolder outputs.
 *
 * @public
 */
export function maskUrlCredentials(text: string): string {
  return text
    .replace(/(https?:\/\/)[^/@\s]+@/gi, '$1***@')
    .replace(/(:\/\/[^/:@\s]+:)[^/@\s]+@/g, '$1***@');
}

/**
 * Whether a repository URL carries credentials that
 * {@link maskUrlCredentials} would mask.
 *
 * @public
 */
export function hasUrlCredentials(url: string): boolean {
  return maskUrlCredentials(url) !== url;
}
