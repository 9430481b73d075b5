import { IgnoreDifferencesRule, JqPaths, keepIgnoredLiveValues } from '../diff';
import { Manifest, resourceKey } from '../manifest';
import { syncOptions } from '../syncOptions';

/**
 * The manifests a sync applies: those whose sync options (app-wide or their
 * own annotation) say `RespectIgnoreDifferences=true` keep the live values of
 * the paths `ignoreDifferences` ignores; the others are applied as Git has
 * them, which is Argo CD's default (the rules then only hide the diff).
 */
export function respectIgnoreDifferences(
  desired: readonly Manifest[],
  live: readonly Manifest[],
  appWide: readonly string[],
  rules: readonly IgnoreDifferencesRule[],
  /** What the rules' jq expressions select, by resource key. */
  jqByKey: Readonly<Record<string, JqPaths>> = {},
): Manifest[] {
  if (rules.length === 0) return [...desired];
  const liveByKey = new Map(live.map(obj => [resourceKey(obj), obj]));
  return desired.map(obj => {
    if (!obj.metadata.name) return obj;
    if (!syncOptions(obj, appWide).respectIgnoreDifferences) return obj;
    const key = resourceKey(obj);
    return keepIgnoredLiveValues(obj, liveByKey.get(key), rules, jqByKey[key])
      .manifest;
  });
}
