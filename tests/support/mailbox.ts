import { SMTPServer } from 'smtp-server';

/** A message as a real SMTP server received it: envelope recipients, subject and text decoded. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=), adjacent ones joined. */
function decodeWords(s: string): string {
  return s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** A single-part text message as the SMTP server received it: headers unfolded, body decoded. */
function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) =>
    head
      .split('\r\n')
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  return { to, subject: decodeWords(header('Subject')), text: text.trim() };
}

export interface Mailbox {
  /** the portal's SMTP_URL for this server */
  url: string;
  /** every message received, in order */
  mails: ReceivedMail[];
  /** the one-time token of the newest invitation mailed to `address` (its link's `invitation=`) */
  tokenFor(address: string): string;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on a free local port, keeping what it receives: point the portal's SMTP_URL at it. */
export async function startMailbox(): Promise<Mailbox> {
  const mails: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(
          parseMail(
            Buffer.concat(chunks).toString('latin1'),
            session.envelope.rcptTo.map((r) => r.address),
          ),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    tokenFor(address) {
      const mail = mails.filter((m) => m.to.includes(address) && m.text.includes('invitation=')).at(-1);
      const token = mail?.text.match(/[?&]invitation=([A-Za-z0-9_-]{43})/)?.[1];
      if (!token) throw new Error(`no invitation mailed to ${address}: ${JSON.stringify(mails.map((m) => [m.to, m.text]))}`);
      return token;
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
