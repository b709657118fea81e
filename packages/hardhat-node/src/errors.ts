/**
 * Typed errors of `@x402kit/hardhat-node`, in the viem style: a one-line `shortMessage`, optional
 * `details` and `metaMessages`, a `cause`, and a literal `name` per subclass.
 */

/** Constructor arguments shared by every error of this package. */
export type HardhatNodeErrorParameters = {
  /** Extra detail, e.g. the node's last output lines. */
  details?: string | undefined;
  /** Additional lines printed under the message. */
  metaMessages?: string[] | undefined;
  /** The error that caused this one. */
  cause?: unknown;
};

/** Base class of every error thrown by `@x402kit/hardhat-node`. */
export class HardhatNodeError extends Error {
  override name = "HardhatNodeError";
  /** The one-line message, without details. */
  readonly shortMessage: string;
  /** Extra detail, if any. */
  readonly details: string | undefined;
  /** Additional lines printed under the message. */
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: HardhatNodeErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (parameters.details) lines.push("", `Details: ${parameters.details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.metaMessages = parameters.metaMessages;
  }
}

/** A TCP port that had to be bound is already taken by another process. */
export class PortInUseError extends HardhatNodeError {
  override name = "PortInUseError" as const;
  /** The port. */
  readonly port: number;
  /** The interface it was to be bound on. */
  readonly hostname: string;
  /** What wanted the port (e.g. `JSON-RPC node`). */
  readonly service: string;

  constructor({
    port,
    hostname,
    service,
    cause,
  }: { port: number; hostname: string; service: string; cause?: unknown }) {
    super(`Port ${port} on ${hostname} is already in use (wanted by the ${service})`, {
      metaMessages: [
        `Stop the process that holds it (e.g. \`lsof -i :${port}\` shows it), or choose another port (0 picks a free one).`,
      ],
      cause,
    });
    this.port = port;
    this.hostname = hostname;
    this.service = service;
  }
}

/** `hardhat node` exited or did not answer before it became ready. */
export class HardhatNodeStartError extends HardhatNodeError {
  override name = "HardhatNodeStartError" as const;

  constructor({ reason, output }: { reason: string; output: string }) {
    super(`hardhat node failed to start: ${reason}`, { details: lastLines(output, 20) || undefined });
  }
}

/**
 * The last `count` non-empty lines of `text`, for error messages.
 *
 * @param text - Process output.
 * @param count - Number of lines to keep.
 * @returns The lines joined with newlines.
 */
export function lastLines(text: string, count: number): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(-count)
    .join("\n");
}
