import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';

/** `/slow/`: this many bytes per chunk, this often, for this long. */
export const slowDrip = { chunkBytes: 100, intervalMilliseconds: 500, durationMilliseconds: 60_000 };

/** `/huge/` sends at least this many bytes. */
export const hugeBodyBytes = 20 * 1024 * 1024;

/** `/bomb/` inflates to this many bytes (over 200 MB), from a gzip body of about 200 KB. */
export const gzipBombInflatedBytes = 210 * 1024 * 1024;

function padTo(text: string, bytes: number): string {
  return `${text.padEnd(bytes - 1, ' ')}\n`;
}

/**
 * A 200 that drips 100 bytes every half second for a minute, to exercise the crawler's total
 * time limit (a per-read timeout never fires). It stops when the client goes away.
 */
export function sendSlowDrip(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const total = slowDrip.durationMilliseconds / slowDrip.intervalMilliseconds;
  let sent = 0;
  const drip = () => {
    sent += 1;
    if (sent === 1) response.write(padTo('<!DOCTYPE html><html><head><title>Slow drip</title></head><body>', slowDrip.chunkBytes));
    else if (sent < total) response.write(padTo(`<p>Still loading, part ${sent} of ${total}.</p>`, slowDrip.chunkBytes));
    else {
      stop();
      response.end(padTo('</body></html>', slowDrip.chunkBytes));
    }
  };
  const timer = setInterval(drip, slowDrip.intervalMilliseconds);
  const stop = () => clearInterval(timer);
  // 'close' fires when the client hangs up and when the site closes its connections.
  response.on('close', stop);
  drip();
}

let hugeFiller: Buffer | undefined;

function* hugeChunks(): Generator<Buffer> {
  // One 64 KiB block, built once and sent over and over, so the 20 MiB never sit in memory.
  hugeFiller ??= Buffer.from(
    padTo('<p>This page never ends, and a careful crawler stops reading long before it does.</p>', 128).repeat(512),
  );
  yield Buffer.from('<!DOCTYPE html><html><head><title>Huge</title></head><body>\n');
  for (let sent = 0; sent < hugeBodyBytes; sent += hugeFiller.length) yield hugeFiller;
  yield Buffer.from('</body></html>\n');
}

/** A 200 of just over 20 MiB of HTML, streamed with no `content-length` so only a byte cap stops it. */
export function sendHugeBody(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  // The callback swallows the error a client hang-up causes: the stream is torn down either way.
  pipeline(Readable.from(hugeChunks()), response, () => undefined);
}

let gzipBomb: Promise<Buffer> | undefined;

/**
 * Deflates 210 MiB of one repeated letter, fed through a gzip stream 1 MiB at a time (the
 * same bytes `zlib.gzipSync` would give, without holding the input in memory). Built on first
 * use and kept, since it takes about half a second.
 */
function buildGzipBomb(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (part: Buffer) => parts.push(part));
    gzip.on('end', () => resolve(Buffer.concat(parts)));
    gzip.on('error', reject);
    const prefix = Buffer.from('<!DOCTYPE html><html><head><title>Bomb</title></head><body><p>');
    const block = Buffer.alloc(1024 * 1024, 'a');
    const blocks = [prefix, ...Array.from({ length: gzipBombInflatedBytes / block.length }, () => block)];
    Readable.from(blocks).pipe(gzip);
  });
}

/** A 200 declaring `content-encoding: gzip` whose small body inflates past 200 MB, whatever the client accepts. */
export async function sendGzipBomb(request: IncomingMessage, response: ServerResponse): Promise<void> {
  gzipBomb ??= buildGzipBomb();
  const body = await gzipBomb;
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'content-length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** A one-page PDF with real text, byte offsets and all, for the crawler's content-type handling. */
export function pdfDocument(): Buffer {
  const text = 'Engineering strategy on one page: diagnosis, guiding policies, coherent actions.';
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const crossReference = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${crossReference}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
