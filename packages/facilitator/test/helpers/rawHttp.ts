import { connect, type Socket } from "node:net";

/** One HTTP/1.1 response as read off the wire. */
export type RawResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
};

/**
 * A raw TCP connection speaking just enough HTTP/1.1 to send arbitrary bytes and read the answers back
 * (Content-Length bodies, as the facilitator sends), and to tell an orderly close from a reset.
 */
export type RawConnection = {
  send(data: string | Buffer): Promise<void>;
  /** The next response; rejects if the connection closes or resets first, or after `timeoutMs`. */
  response(options?: { timeoutMs?: number; head?: boolean }): Promise<RawResponse>;
  /** Whether the peer reset the connection (ECONNRESET / EPIPE) rather than closing it. */
  readonly reset: boolean;
  /** Whether the connection has closed (either way). */
  readonly closed: boolean;
  /** Resolves once the connection has closed. */
  readonly ended: Promise<void>;
  destroy(): void;
};

/**
 * Opens a raw connection to 127.0.0.1:`port`.
 *
 * @param port - The server's port.
 */
export async function rawConnection(port: number): Promise<RawConnection> {
  const socket: Socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let buffer = Buffer.alloc(0);
  let reset = false;
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    notify();
  });
  socket.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "ECONNRESET" || error.code === "EPIPE") reset = true;
    notify();
  });
  const ended = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closed = true;
      notify();
      resolve();
    }),
  );
  const waitForData = (deadline: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Parses one response from the front of the buffer, or `undefined` when incomplete. */
  const take = (head: boolean): RawResponse | undefined => {
    const end = buffer.indexOf("\r\n\r\n");
    if (end === -1) return undefined;
    const lines = buffer.subarray(0, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? Number.NaN);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    // 1xx answers (100 Continue) come before the real one.
    const length = head || status < 200 || status === 204 || status === 304 ? 0 : Number(headers["content-length"]);
    if (Number.isNaN(length)) throw new Error(`response without Content-Length: ${lines[0]}`);
    if (buffer.length < end + 4 + length) return undefined;
    const body = buffer.subarray(end + 4, end + 4 + length).toString("utf8");
    buffer = buffer.subarray(end + 4 + length);
    return { status, headers, body };
  };

  return {
    send: (data) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed || !socket.writable) return resolve();
        socket.write(data, () => resolve());
      }),
    async response(options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 10_000);
      for (;;) {
        const response = take(options.head ?? false);
        if (response) return response;
        if (closed || reset) throw new Error(reset ? "connection reset before the answer" : "closed before the answer");
        if (Date.now() >= deadline) throw new Error("no answer in time");
        await waitForData(deadline);
      }
    },
    get reset() {
      return reset;
    },
    get closed() {
      return closed;
    },
    ended,
    destroy: () => socket.destroy(),
  };
}

/** An HTTP/1.1 request as bytes, with `Host` and a `Content-Length` matching `body` unless headers say otherwise. */
export function rawRequest(
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string | number> } = {},
): Buffer {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  const headers: Record<string, string | number> = { Host: "127.0.0.1", ...options.headers };
  const named = Object.keys(headers).map((k) => k.toLowerCase());
  if (
    !named.includes("content-length") &&
    !named.includes("transfer-encoding") &&
    (body.length > 0 || method === "POST")
  ) {
    headers["Content-Length"] = body.length;
  }
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}
