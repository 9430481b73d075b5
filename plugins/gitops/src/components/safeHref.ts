/**
 * The URL as a link target when it is http(s), otherwise undefined. Values come
 * from annotations and manifests, which anyone with repository access writes;
 * a `javascript:` link there must never become clickable.
 */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return undefined;
    }
    // Userinfo (masked by the backend) would only make the browser ask.
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return undefined;
  }
}
