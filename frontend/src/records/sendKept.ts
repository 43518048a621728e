// The app's sender of the files kept on the device (records/keptFiles.ts):
// loaded by the shell when the network comes back, the offline copy is
// unlocked or synced (AppLayout), one run at a time.
import { db } from "../offline/runtime";
import { sendKept } from "./keptFiles";
import { uploadQueue } from "./Uploads";

let running: Promise<number> | undefined;
let again = false;

/** sendKeptFiles queues the kept files whose records exist; a call during a run makes it look once more. */
export function sendKeptFiles(): Promise<number> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      let n = 0;
      do {
        again = false;
        n += await sendKept(await db(), uploadQueue);
      } while (again && navigator.onLine);
      return n;
    } catch {
      return 0; // locked meanwhile, or no IndexedDB: the next event tries again
    } finally {
      running = undefined;
    }
  })();
  return running;
}
