import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Finds a Chromium to drive: `CHROMIUM_PATH` if set, else `chromium`, `chromium-browser`, `google-chrome` on PATH
 * (Debian's `apt-get install chromium` gives `/usr/bin/chromium`).
 *
 * @returns The executable's path.
 * @throws {Error} When there is none, saying how to get one (the browser tests never skip silently).
 */
export function findChromium(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (existsSync(configured)) return configured;
    throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
  }
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    for (const dir of [...dirs, "/usr/bin"]) {
      const path = join(dir, name);
      if (existsSync(path)) return path;
    }
  }
  throw new Error(
    "No Chromium found for the dashboard's browser tests. Install one (Debian/Ubuntu: `apt-get install -y chromium`; " +
      "`.ci/run` does this) or point CHROMIUM_PATH at a Chromium or Chrome executable.",
  );
}
