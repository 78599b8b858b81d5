/** Whether chart_code's sandbox runs here: the shared Python sandbox probe, with the renderer as its zygote. */
import { pythonSandboxAvailability } from "../_python/mod.ts";

/** The renderer script on the host: chart_code's zygote. */
export const rendererPath = new URL("./renderer.py", import.meta.url).pathname;

/** Null when the chart sandbox works; otherwise why not and how to fix it. */
export function chartSandboxAvailability(): Promise<string | null> {
  return pythonSandboxAvailability({
    handlers: [rendererPath],
    installHint: "as root: apt-get install -y python3-matplotlib bubblewrap",
    files: [["/usr/share/matplotlib/mpl-data/matplotlibrc", "python3-matplotlib"]],
  });
}
