/**
 * Characters a displayed file name must not carry: C0 and C1 controls and DEL; bidirectional overrides,
 * embeddings, isolates and marks (U+202E turns `报告‮fdp.exe` into what reads as `报告exe.pdf`); zero-width
 * characters and the BOM; line and paragraph separators.
 */
const UNSAFE = /[\p{Cc}\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/gu;

/** Characters Windows and shells give a meaning in file names, and quotes that would end a header value. */
const RESERVED = /["<>|:*?]/g;

/**
 * A user-supplied file name made safe to store, list and send back in Content-Disposition: the last path
 * segment only, Unicode-normalised (NFC), without control, bidi-override or zero-width characters, no
 * leading dots, at most 120 characters; `fallback` when nothing is left.
 */
export function safeDisplayFilename(name: string | undefined, fallback: string): string {
  const base = (name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(UNSAFE, '')
    .replace(RESERVED, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .trim();
  // cut by code points, never inside a surrogate pair
  return Array.from(cleaned).slice(0, 120).join('').trim() || fallback;
}
