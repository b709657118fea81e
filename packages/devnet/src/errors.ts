/**
 * Typed errors of `@x402kit/devnet`, in the viem style: a one-line `shortMessage`, optional `details`
 * and `metaMessages`, a `cause`, and a literal `name` per subclass. `PortInUseError` comes from
 * `@x402kit/hardhat-node` and is re-exported by the package entry.
 */

/** Constructor arguments shared by every devnet error. */
export type DevnetErrorParameters = {
  /** Extra detail, e.g. a child's last output lines. */
  details?: string | undefined;
  /** Additional lines printed under the message. */
  metaMessages?: string[] | undefined;
  /** The error that caused this one. */
  cause?: unknown;
};

/** Base class of every error thrown by `@x402kit/devnet`. */
export class DevnetError extends Error {
  override name = "DevnetError";
  /** The one-line message, without details. */
  readonly shortMessage: string;
  /** Extra detail, if any. */
  readonly details: string | undefined;
  /** Additional lines printed under the message. */
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: DevnetErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (parameters.details) lines.push("", `Details: ${parameters.details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.metaMessages = parameters.metaMessages;
  }
}

/** An option is invalid (e.g. `--accounts 0`). */
export class InvalidDevnetOptionError extends DevnetError {
  override name = "InvalidDevnetOptionError" as const;
  /** The options that failed, as dotted paths. */
  readonly options: string[];

  constructor({ options, problems }: { options: string[]; problems: string[] }) {
    super(`Invalid devnet option: ${options.join(", ")}`, { metaMessages: problems });
    this.options = options;
  }
}

/** Another devnet (a live process) is using the data directory. */
export class DataDirInUseError extends DevnetError {
  override name = "DataDirInUseError" as const;
  readonly dataDir: string;
  readonly pid: number;

  constructor({ dataDir, pid }: { dataDir: string; pid: number }) {
    super(`The data directory ${dataDir} is in use by another devnet (pid ${pid})`, {
      metaMessages: ["Stop that devnet, or give this one another directory (--data-dir)."],
    });
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** Deploying or setting up the contracts failed. */
export class DeploymentError extends DevnetError {
  override name = "DeploymentError" as const;
  /** The step that failed, e.g. `deploy TestUSDC`. */
  readonly step: string;

  constructor({ step, cause }: { step: string; cause: unknown }) {
    super(`Devnet set-up failed at: ${step}`, {
      details:
        cause instanceof Error ? ((cause as { shortMessage?: string }).shortMessage ?? cause.message) : String(cause),
      cause,
    });
    this.step = step;
  }
}

/** A component of the devnet stopped while the devnet was running. */
export class ComponentExitedError extends DevnetError {
  override name = "ComponentExitedError" as const;
  /** Which component: `hardhat node`, `facilitator`, `demo API`. */
  readonly component: string;

  constructor({ component, reason, details }: { component: string; reason: string; details?: string | undefined }) {
    super(`The ${component} stopped unexpectedly (${reason}); the devnet was shut down`, { details });
    this.component = component;
  }
}
