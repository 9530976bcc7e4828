import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';

/** A parsed font as pdfkit takes it (anything with fontkit's `layout`). */
export type ParsedFont = ReturnType<typeof fontkit.create>;

export interface DocumentFonts {
  regular: ParsedFont;
  bold: ParsedFont;
}

let fonts: DocumentFonts | undefined;

/** Where `npm install` put Noto Sans SC (the @expo-google-fonts package ships the TTF files). */
export function fontPath(weight: '400Regular' | '700Bold'): string {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  return path.join(dir, weight, `NotoSansSC_${weight}.ttf`);
}

/**
 * Noto Sans SC, parsed once per process (10 MB each; parsing per document is 10× slower, STACK.md).
 * pdfkit embeds only the glyphs a document uses, so a certificate stays small.
 */
export function documentFonts(): DocumentFonts {
  fonts ??= {
    regular: fontkit.create(readFileSync(fontPath('400Regular'))),
    bold: fontkit.create(readFileSync(fontPath('700Bold'))),
  };
  return fonts;
}
