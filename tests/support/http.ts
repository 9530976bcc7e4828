import type { TestApp } from '@portal/testing';

/** A request's body as bytes (an .xlsx or a PDF), whatever its content type. */
export function bytesOf(req: ReturnType<ReturnType<TestApp['http']>['get']>) {
  return req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}
