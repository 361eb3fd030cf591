// Beats the systemd watchdog, then blocks its own event loop for a while: the test watches the
// beats stop during the block and resume after it.
import { systemdNotifier } from "../../dist/app/systemd/sd-notify.js";
import { createMemoryLogger } from "../../dist/core/logger.js";

const notifier = systemdNotifier(process.env, createMemoryLogger());
notifier.ready("test");
notifier.startWatchdog();
setTimeout(() => {
  notifier.status("blocking");
  const until = Date.now() + Number(process.env.BLOCK_MS);
  while (Date.now() < until) {
    // a busy event loop: no timer can fire
  }
  notifier.status("unblocked");
}, 600);
setTimeout(
  () => {
    notifier.stopping();
    notifier.close();
  },
  600 + Number(process.env.BLOCK_MS) + 600,
);
