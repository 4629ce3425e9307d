// A real SMTP server in the test process (smtp-server), collecting what it is sent: the envelope's
// recipients, the raw message and a few headers a test checks.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  raw: string;
  /** The text/plain part, decoded (quoted-printable undone). */
  text: string;
  messageId: string | null;
  header(name: string): string | null;
}

export interface SmtpInbox {
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  const bytes = Buffer.from(s.replace(/=\r?\n/g, ""), "latin1").toString("latin1").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** The first text/plain part of a message (or its whole body), decoded. */
function textOf(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const part = parts.find((p) => /^content-type:\s*text\/plain/im.test(p.split(/\r?\n\r?\n/)[0]!)) ?? raw;
  const [head, ...body] = part.split(/\r?\n\r?\n/);
  const content = body.join("\n\n").replace(/\r\n/g, "\n");
  return /content-transfer-encoding:\s*quoted-printable/i.test(head!) ? decodeQuotedPrintable(content) : content;
}

/** Unfolded header value (RFC 5322 folding undone), or null. */
function headerOf(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  const m = head.match(new RegExp(`^${name}:\\s*(.*)$`, "im"));
  return m ? m[1]!.trim() : null;
}

export async function startSmtpInbox(options: { delayMs?: number } = {}): Promise<SmtpInbox> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (d: Buffer) => (raw += d.toString()));
      stream.on("end", () => {
        const accept = () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw, text: textOf(raw), messageId: headerOf(raw, "Message-ID"), header: (n) => headerOf(raw, n) });
          callback();
        };
        if (options.delayMs) setTimeout(accept, options.delayMs);
        else accept();
      });
    },
  });
  // A client that dies mid-session (the worker test kills one) resets its connection: that is the
  // client's doing, not a failure of the server under test. Anything else still fails the run.
  server.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "ECONNRESET") throw e;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
