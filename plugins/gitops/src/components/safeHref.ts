/**
 * The URL as a link target when it is http(s), otherwise undefined. Values come
 * from annotations and manifests, which anyone with repository access writes;
 * a `javascript:` link there must never become clickable.
 */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
