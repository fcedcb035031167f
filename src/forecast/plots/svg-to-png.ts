/** PNG bytes, or why there are none (the SVG is still written either way). */
export type PngResult =
  | { readonly png: Uint8Array; readonly note?: undefined }
  | { readonly png: undefined; readonly note: string };

/** The part of @resvg/resvg-js used here (typed locally: the package is optional). */
interface ResvgModule {
  Resvg: new (
    svg: string,
    options: Record<string, unknown>,
  ) => { render(): { asPng(): Uint8Array } };
}

/** A variable specifier keeps tsc and bundlers from requiring the optional package. */
const RESVG = '@resvg/resvg-js';

/**
 * Renders an SVG to PNG with @resvg/resvg-js (Rust resvg; prebuilt binaries ship inside npm
 * packages, no network at install) when it is installed; otherwise returns a note. Text uses the
 * system fonts (DejaVu Sans here), so PNG bytes are stable on one machine, not across font sets.
 */
export async function svgToPng(svg: string, options: { width?: number } = {}): Promise<PngResult> {
  let Resvg: ResvgModule['Resvg'] | undefined;
  try {
    const mod = (await import(RESVG)) as Partial<ResvgModule> & { default?: Partial<ResvgModule> };
    Resvg = mod.Resvg ?? mod.default?.Resvg;
  } catch (e) {
    return { png: undefined, note: `PNG skipped: ${RESVG} is not installed (${String(e)}).` };
  }
  if (!Resvg) return { png: undefined, note: `PNG skipped: ${RESVG} has no Resvg export.` };
  const renderer = new Resvg(svg, {
    fitTo:
      options.width === undefined ? { mode: 'original' } : { mode: 'width', value: options.width },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return { png: new Uint8Array(renderer.render().asPng()) };
}
