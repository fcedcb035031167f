import { escapeXml } from '../../core/index.js';

/** One plot file's part of the page. */
export interface PageSection {
  readonly path: string;
  /** Shown above the charts: missing files, unreadable files, absent columns. */
  readonly notes: readonly string[];
  /** Complete `<svg>` elements (their text already escaped). */
  readonly charts: readonly string[];
  /** Image files, one per revision that has one, shown side by side. */
  readonly images: readonly {
    readonly rev: string;
    readonly mime: string;
    readonly bytes: Buffer;
  }[];
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:32px;font-family:monospace}
.revs span{display:inline-block;margin-right:16px}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.note{color:#8a4b00;margin:4px 0}.images{display:flex;gap:16px;flex-wrap:wrap}
figure{margin:0}figure img{max-width:480px;border:1px solid #ddd}figcaption{font-size:12px;text-align:center}`;

/**
 * A self-contained HTML page: inline SVG and data-URI images, no script, and a Content Security
 * Policy that forbids loading anything (images of the files are `<img>`s, so an SVG file's own
 * scripts never run).
 */
export function plotsPage(
  revisions: readonly { readonly label: string; readonly colour: string }[],
  sections: readonly PageSection[],
): string {
  const revs = revisions
    .map(
      (r) =>
        `<span><span class="swatch" style="background:${r.colour}"></span>${escapeXml(r.label)}</span>`,
    )
    .join('');
  const body = sections.map(section).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeXml(`mlops plots diff: ${revisions.map((r) => r.label).join(' vs ')}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Plots</h1>
<p class="revs">${revs}</p>
${sections.length === 0 ? '<p class="note">No plots: the lock files list no plot outputs.</p>' : body}
</body>
</html>
`;
}

function section(s: PageSection): string {
  const notes = s.notes.map((n) => `<p class="note">${escapeXml(n)}</p>`);
  const images = s.images.map(
    (i) =>
      `<figure><img alt="${escapeXml(`${s.path} at ${i.rev}`)}" src="data:${i.mime};base64,${i.bytes.toString('base64')}"><figcaption>${escapeXml(i.rev)}</figcaption></figure>`,
  );
  return [
    '<section>',
    `<h2>${escapeXml(s.path)}</h2>`,
    ...notes,
    ...s.charts,
    ...(images.length === 0 ? [] : [`<div class="images">${images.join('')}</div>`]),
    '</section>',
  ].join('\n');
}
