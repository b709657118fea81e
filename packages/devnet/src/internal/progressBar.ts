/**
 * A one-line progress bar for a TTY (redrawn in place); elsewhere it prints only the final line.
 *
 * @param stream - Where to draw (stdout).
 * @param width - Bar width in characters.
 * @returns `update(done, total, suffix)` and `finish()`.
 */
export function createProgressBar(stream: NodeJS.WriteStream, width = 30) {
  let last = "";
  const render = (done: number, total: number, suffix: string) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `  [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}  ${suffix}`;
  };
  return {
    update(done: number, total: number, suffix: string) {
      last = render(done, total, suffix);
      if (stream.isTTY) stream.write(`\r${last}\u001b[K`);
    },
    finish() {
      stream.write(stream.isTTY ? "\n" : `${last}\n`);
    },
  };
}
