import { escapeXml } from '../../core/index.js';
import { formatCell } from './format-number.js';

export interface ReportTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export interface ReportSection {
  readonly heading: string;
  /** A paragraph of plain text (escaped). */
  readonly text?: string;
  /** An SVG document from this module, inlined as is. */
  readonly svg?: string;
  readonly table?: ReportTable;
}

export interface HtmlReportInput {
  readonly title: string;
  readonly sections: readonly ReportSection[];
}

const CSS = `body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:2em auto;max-width:860px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}
figure{margin:1em 0}svg{max-width:100%;height:auto}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.25em .6em}
th{background:#f4f4f4;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}`;

/**
 * One self-contained HTML file: inline CSS and inline SVG, no scripts, no external assets, no
 * timestamps; numbers in tables use fixed formatting, so equal input gives equal bytes.
 */
export function htmlReport(input: HtmlReportInput): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(input.title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeXml(input.title)}</h1>`,
  ];
  for (const section of input.sections) {
    out.push('<section>', `<h2>${escapeXml(section.heading)}</h2>`);
    if (section.text !== undefined) out.push(`<p>${escapeXml(section.text)}</p>`);
    // An XML prolog or doctype is not allowed inside HTML; the <svg> element itself is.
    if (section.svg !== undefined) {
      const svg = section.svg
        .replace(/^\s*<\?xml[^>]*\?>\s*/, '')
        .replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '');
      out.push(`<figure>\n${svg.trimEnd()}\n</figure>`);
    }
    if (section.table !== undefined) out.push(tableHtml(section.table));
    out.push('</section>');
  }
  out.push('</body>', '</html>');
  return out.join('\n') + '\n';
}

function tableHtml(table: ReportTable): string {
  const head = table.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('');
  const rows = table.rows.map((row) => {
    const cells = row.map((v) =>
      typeof v === 'number'
        ? `<td class="num">${escapeXml(formatCell(v))}</td>`
        : `<td>${escapeXml(v)}</td>`,
    );
    return `<tr>${cells.join('')}</tr>`;
  });
  return [
    '<table>',
    `<thead><tr>${head}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n');
}
