import { chineseDate, DOCUMENT_KINDS, type DocumentRequest } from '@portal/contracts';
import PDFDocument from 'pdfkit';
import { documentFonts } from './fonts.js';
import { pdfBytes } from './pdf-bytes.js';
import { drawQr } from './qr.js';

export interface RenderMeta {
  serial: string;
  issuedAt: Date;
  verifyUrl: string;
  /** a seal image (PNG) drawn where the seal stands; none by default */
  seal?: Buffer;
}

/** Text a user typed, drawn as plain text: control characters go, length is bounded. */
export function plain(text: string, max = 500): string {
  // C0 controls but tab and newline, DEL (\p{Cc} less the C1 range), zero-width and bidi marks
  return text.replace(/(?![\t\n\u0080-\u009f])[\p{Cc}\u200b-\u200f\u202a-\u202e]/gu, '').slice(0, max);
}

const A4 = { width: 595.28, height: 841.89 };
const RED = '#b22222';

/**
 * One A4 page laid out like an official document: a double border, the title, the addressee, the body,
 * the facts, the issuing authority and date with the seal area, the serial number and the QR code that
 * opens the public verification page. Every string from a user goes through `plain()` and is drawn with
 * `text()` only — no links, annotations or actions.
 */
export function renderDocument(req: DocumentRequest, meta: RenderMeta): Promise<Buffer> {
  const { regular, bold } = documentFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    info: {
      Title: `${DOCUMENT_KINDS[req.kind].label} ${meta.serial}`,
      Author: plain(req.authority, 60),
      Subject: DOCUMENT_KINDS[req.kind].label,
      Producer: '温州市产教融合平台',
    },
    compress: true,
  });
  // the parsed fonts are shared; each document embeds its own subset of them
  doc.registerFont('regular', regular as never);
  doc.registerFont('bold', bold as never);
  const done = pdfBytes(doc);

  // frame
  doc
    .lineWidth(3)
    .strokeColor(RED)
    .rect(28, 28, A4.width - 56, A4.height - 56)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(36, 36, A4.width - 72, A4.height - 72)
    .stroke();

  const left = 72;
  const width = A4.width - 144;
  doc.font('bold').fontSize(26).fillColor(RED).text(DOCUMENT_KINDS[req.kind].label, left, 90, { width, align: 'center', characterSpacing: 2 });
  doc.font('regular').fontSize(10).fillColor('#555555').text(`编号：${meta.serial}`, left, 134, { width, align: 'center' });

  let y = 180;
  doc.fillColor('#000000');
  if (req.addressee) {
    doc
      .font('bold')
      .fontSize(14)
      .text(`${plain(req.addressee, 60)}：`, left, y, { width });
    y = doc.y + 12;
  }
  doc.font('regular').fontSize(13).text(plain(req.body, 1200), left, y, { width, align: 'justify', lineGap: 6, indent: 26 });
  y = doc.y + 18;

  // the label column as wide as the widest label (a period "2024年11月15日至2025年11月25日" whole on one line),
  // at least 130pt and at most a little over half the line; the value takes the rest and wraps. Wide labels
  // (periods) are set a point smaller, so that a host's name and its hours still fit on the value's one line.
  // Every fact is drawn (up to MAX_FACTS): those the first page has no room for above the seal continue on the
  // pages after it, under the title "（续）" and the serial, and the first page says where they continue.
  const facts = req.facts.slice(0, MAX_FACTS).map((f) => ({ label: `${plain(f.label, 40)}：`, value: plain(f.value, 200) }));
  const labelWidthAt = (size: number) =>
    Math.min(Math.max(130, ...facts.map((f) => Math.ceil(doc.font('bold').fontSize(size).widthOfString(f.label)) + 4)), Math.floor(width * 0.55));
  const size = labelWidthAt(12) > 160 ? 11 : 12;
  const labelWidth = labelWidthAt(size);
  const drawFact = (f: { label: string; value: string }, at: number): number => {
    doc
      .font('bold')
      .fontSize(size)
      .fillColor('#000000')
      .text(f.label, left + 10, at, { width: labelWidth });
    // a label that wraps pushes the next line down as a value that wraps does
    const labelBottom = doc.y;
    doc
      .font('regular')
      .fontSize(size)
      .text(f.value, left + labelWidth + 15, at, { width: width - labelWidth - 20, lineGap: 3 });
    return Math.max(doc.y, labelBottom, at + 16) + 8;
  };
  const factHeight = (f: { label: string; value: string }): number =>
    Math.max(
      doc.font('bold').fontSize(size).heightOfString(f.label, { width: labelWidth }),
      doc
        .font('regular')
        .fontSize(size)
        .heightOfString(f.value, { width: width - labelWidth - 20, lineGap: 3 }),
      16,
    ) + 8;
  // the first page keeps room below the facts for the seal area and the QR code (twelve periods fit, as they always
  // did); when not all fit, those that do stand above the line saying where the rest continue
  const firstPageBottom = 600;
  const noteHeight = 18;
  const heights = facts.map(factHeight);
  const allFit = y + heights.reduce((sum, h) => sum + h, 0) <= firstPageBottom;
  let drawn = 0;
  for (const [i, f] of facts.entries()) {
    if (!allFit && y + (heights[i] ?? 0) > firstPageBottom - noteHeight) break;
    y = drawFact(f, y);
    drawn++;
  }
  const rest = facts.slice(drawn);
  if (rest.length) {
    doc
      .font('regular')
      .fontSize(10)
      .fillColor('#555555')
      .text(`（以上 ${drawn} 项，其余 ${rest.length} 项续见下页；共 ${facts.length} 项）`, left + 10, y, { width: width - 10 });
    y = doc.y + 4;
  }

  // authority, date and the seal area (a dashed circle where a seal would stand, or the configured image)
  const sealX = A4.width - 72 - 150;
  const sealY = Math.max(y + 30, 560);
  if (meta.seal) {
    doc.image(meta.seal, sealX + 10, sealY - 20, { width: 130, height: 130 });
  } else {
    doc
      .save()
      .lineWidth(0.8)
      .dash(3, { space: 3 })
      .strokeColor('#cccccc')
      .circle(sealX + 75, sealY + 45, 62)
      .stroke()
      .undash()
      .restore();
    doc
      .font('regular')
      .fontSize(8)
      .fillColor('#bbbbbb')
      .text('（盖章处）', sealX + 45, sealY + 41, { width: 60, align: 'center' });
  }
  doc
    .font('bold')
    .fontSize(13)
    .fillColor('#000000')
    .text(plain(req.authority, 60), sealX - 40, sealY + 30, { width: 230, align: 'center' });
  doc
    .font('regular')
    .fontSize(12)
    .text(chineseDate(meta.issuedAt), sealX - 40, sealY + 54, { width: 230, align: 'center' });

  // verification: QR code and the words a reader needs
  const qrSize = 96;
  const qrY = A4.height - 72 - qrSize;
  drawQr(doc, meta.verifyUrl, left, qrY, qrSize);
  doc.font('regular').fontSize(9).fillColor('#333333');
  doc.text('扫描二维码核验本文件的真实性与有效状态', left + qrSize + 12, qrY + 22, { width: width - qrSize - 12 });
  doc.text(`核验地址：${meta.verifyUrl}`, left + qrSize + 12, qrY + 40, { width: width - qrSize - 12 });
  if (req.validUntil) doc.text(`有效期至：${chineseDate(new Date(req.validUntil))}`, left + qrSize + 12, qrY + 58, { width: width - qrSize - 12 });

  if (rest.length) drawContinuedFacts(doc, rest, drawFact, factHeight, DOCUMENT_KINDS[req.kind].label, meta.serial);
  if (req.tables?.length) drawTables(doc, req.tables, meta.serial);
  doc.end();
  return done;
}

/**
 * The most facts a document lists: a 5-year summary lists every record of its window, and a teacher's live records
 * never overlap, so even one-day records are at most 1,827 in five years (about 70 continuation pages).
 */
const MAX_FACTS = 2000;

/** The serial at the foot of a page after the first (continued facts, report tables), right-aligned in small grey. */
function pageSerial(doc: PDFKit.PDFDocument, serial: string, left: number, y: number, width: number): void {
  doc.font('regular').fontSize(8).fillColor('#888888').text(`编号：${serial}`, left, y, { width, align: 'right' });
}

/** The facts the first page had no room for, on the pages after it: the document's title with "（续）" and the serial on each. */
function drawContinuedFacts(
  doc: PDFKit.PDFDocument,
  facts: ReadonlyArray<{ label: string; value: string }>,
  drawFact: (f: { label: string; value: string }, at: number) => number,
  factHeight: (f: { label: string; value: string }) => number,
  title: string,
  serial: string,
): void {
  const left = 72;
  const width = A4.width - 144;
  const bottom = A4.height - 72;
  let y = 0;
  const newPage = () => {
    doc.addPage({ size: 'A4', margin: 0 });
    doc
      .lineWidth(0.8)
      .strokeColor(RED)
      .rect(36, 36, A4.width - 72, A4.height - 72)
      .stroke();
    doc.font('bold').fontSize(14).fillColor(RED).text(`${title}（续）`, left, 60, { width, align: 'center' });
    pageSerial(doc, serial, left, A4.height - 56, width);
    y = 96;
  };
  newPage();
  for (const f of facts) {
    if (y + factHeight(f) > bottom) newPage();
    y = drawFact(f, y);
  }
}

/**
 * A report's tables on the pages after the first: a title, a header row on a tinted band, the rows with thin
 * rules, columns of equal width but the first (names) wider, each row as tall as its tallest (wrapped) cell; a new
 * page when one is full, the serial on each.
 */
function drawTables(doc: PDFKit.PDFDocument, tables: NonNullable<DocumentRequest['tables']>, serial: string): void {
  const left = 56;
  const width = A4.width - 112;
  const rowHeight = 18;
  const bottom = A4.height - 60;
  let y = 0;
  const newPage = () => {
    doc.addPage({ size: 'A4', margin: 0 });
    pageSerial(doc, serial, left, A4.height - 40, width);
    y = 56;
  };
  newPage();
  for (const table of tables.slice(0, 10)) {
    const cols = Math.max(1, table.head.length);
    const first = cols > 1 ? width * 0.28 : width;
    const rest = cols > 1 ? (width - first) / (cols - 1) : 0;
    const x = (i: number) => (i === 0 ? left : left + first + (i - 1) * rest);
    const w = (i: number) => (i === 0 ? first : rest);
    if (y + 40 + rowHeight * 2 > bottom) newPage();
    doc.font('bold').fontSize(13).fillColor('#000000').text(plain(table.title, 60), left, y, { width });
    y = doc.y + 8;
    const row = (cells: string[], head: boolean) => {
      doc
        .font(head ? 'bold' : 'regular')
        .fontSize(9.5)
        .fillColor('#000000');
      // a cell longer than its column (a long indicator name in the header) wraps: the row is as tall as its tallest cell
      const texts = cells.slice(0, cols).map((c) => plain(c, 40));
      const height = Math.max(rowHeight, ...texts.map((c, i) => doc.heightOfString(c, { width: w(i) - 8 }) + 8));
      if (y + height > bottom) newPage();
      if (head) doc.save().rect(left, y, width, height).fill('#eef2f8').restore();
      doc.fillColor('#000000');
      texts.forEach((c, i) => doc.text(c, x(i) + 4, y + 4, { width: w(i) - 8, align: i === 0 ? 'left' : 'right' }));
      y += height;
      doc
        .save()
        .lineWidth(0.4)
        .strokeColor('#bbbbbb')
        .moveTo(left, y)
        .lineTo(left + width, y)
        .stroke()
        .restore();
    };
    row(table.head, true);
    for (const r of table.rows.slice(0, 200)) row(r, false);
    y += 20;
  }
}
