/**
 * Preloaded into the `hardhat node` child (`node --import <this> …`): ends the child when its parent
 * goes away. The parent holds the write end of the child's stdin; when the parent exits for any reason
 * (even SIGKILL) the pipe closes, stdin ends, and the node exits instead of staying orphaned with its
 * port bound. The stream is unref'd so it never keeps the child alive by itself.
 */
const exit = () => process.exit(0);
process.stdin.on("end", exit);
process.stdin.on("close", exit);
process.stdin.on("error", exit);
process.stdin.resume();
(process.stdin as { unref?: () => void }).unref?.();
