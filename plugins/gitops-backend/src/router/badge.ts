import { ApplicationStatus } from '@backstage-gitops/plugin-gitops-common';

const COLOURS: Record<string, string> = {
  Synced: '#18be52',
  Healthy: '#18be52',
  OutOfSync: '#f4c030',
  Progressing: '#0dadea',
  Suspended: '#766f94',
  Degraded: '#e96d76',
  Missing: '#f4c030',
  Unknown: '#9e9e9e',
};

// Fixed-width estimate, as shields do without a font at hand.
const width = (text: string) => 10 + text.length * 7;

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    c =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }[
        c
      ]!),
  );
}

/**
 * A shields-style SVG of an application's sync status and health. Only the
 * two status words go in: no names, revisions or messages, so a public badge
 * reveals nothing else.
 */
export function renderBadge(status: ApplicationStatus | undefined): string {
  const sync = status?.sync ?? 'Unknown';
  const health = status?.health ?? 'Unknown';
  const parts = [sync, health];
  const widths = parts.map(width);
  const total = widths[0] + widths[1];
  const label = `${sync}, ${health}`;
  const rect = (x: number, w: number, text: string) =>
    [
      `<rect x="${x}" width="${w}" height="20" fill="${
        COLOURS[text] ?? COLOURS.Unknown
      }"/>`,
      `<text x="${x + w / 2}" y="14" text-anchor="middle">${escapeXml(
        text,
      )}</text>`,
    ].join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${escapeXml(
      label,
    )}">`,
    `<title>${escapeXml(label)}</title>`,
    `<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" fill="#fff">`,
    rect(0, widths[0], sync),
    rect(widths[0], widths[1], health),
    `</g></svg>`,
  ].join('');
}
