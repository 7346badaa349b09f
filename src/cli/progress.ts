/**
 * Progress for anything that takes more than a second (sweeps, validation, suite runs): a bar
 * on an interactive terminal, occasional plain lines when stderr is not a terminal (logs, CI),
 * nothing with `--quiet`. Nothing is shown for work that finishes within the delay.
 */
import cliProgress from 'cli-progress';

/** A stream progress is written to (stderr by default). */
export interface ProgressStream {
  write(text: string): unknown;
  /** True on an interactive terminal. */
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Show nothing. Default: the global setting ({@link setQuiet}), initially false. */
  quiet?: boolean;
  /** Where to write. Default `process.stderr`. */
  stream?: ProgressStream;
  /** Time before anything is shown (ms). Default 1000. */
  delayMs?: number;
  /** Least time between two plain lines when the stream is not a terminal (ms). Default 5000. */
  lineIntervalMs?: number;
  /** Clock (ms), for tests. Default `Date.now`. */
  now?: () => number;
}

/** A running progress indicator. */
export interface Progress {
  /** Counts `n` more items done (default 1); `note` names the current item. */
  tick(n?: number, note?: string): void;
  /**
   * Writes `text` (whole lines) to `out`, default stdout, for commands that print results as
   * they come: on a terminal the bar is cleared first and drawn again below the text. Call it
   * after the item's `tick`, so that the bar drawn again counts the item.
   */
  print(text: string, out?: ProgressStream): void;
  /** Ends the indicator; with a bar, the line is left showing the final count. */
  done(): void;
}

let globalQuiet = false;

/** Sets the default of {@link ProgressOptions.quiet} (the CLI's `--quiet`). */
export function setQuiet(q: boolean): void {
  globalQuiet = q;
}

/** True when `--quiet` was given. */
export const isQuiet = (): boolean => globalQuiet;

/** Starts a progress indicator for `total` items labelled `label`. */
export function startProgress(label: string, total: number, o: ProgressOptions = {}): Progress {
  if (o.quiet ?? globalQuiet) return { tick: () => undefined, print: (text, out = process.stdout) => void out.write(text), done: () => undefined };
  const stream = o.stream ?? process.stderr;
  const now = o.now ?? Date.now;
  const delay = o.delayMs ?? 1000;
  const interval = o.lineIntervalMs ?? 5000;
  const t0 = now();
  let value = 0;
  let lastLine = -Infinity;
  let bar: cliProgress.SingleBar | undefined;
  const tty = stream.isTTY === true;
  const percent = (): string => (total > 0 ? `${Math.floor((100 * value) / total)}%` : '');
  return {
    tick(n = 1, note?: string) {
      value = Math.min(total, value + n);
      const t = now();
      if (t - t0 < delay) return;
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar({
            format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted} {note}`,
            stream: stream as unknown as NodeJS.WritableStream,
            hideCursor: true,
            clearOnComplete: false,
            barsize: 30,
            noTTYOutput: false,
            // print() clears the line; the bar must be drawn again even when its text is unchanged.
            forceRedraw: true,
          }, cliProgress.Presets.shades_classic);
          bar.start(total, value, { note: note ?? '' });
        } else bar.update(value, { note: note ?? '' });
      } else if (t - lastLine >= interval) {
        lastLine = t;
        stream.write(`${label}: ${value}/${total} ${percent()}${note ? ` (${note})` : ''}, ${((t - t0) / 1000).toFixed(0)} s\n`);
      }
    },
    print(text, out = process.stdout) {
      if (!bar || out.isTTY !== true) {
        out.write(text);
        return;
      }
      // Clear the bar's line and turn line wrapping back on (the bar turns it off) for the text.
      stream.write('\r\x1b[2K\x1b[?7h');
      out.write(text);
      // Wrapping off again, and the bar's new line saved as the cursor position the bar returns
      // to when it stops.
      stream.write('\x1b[?7l\x1b7');
      bar.render();
    },
    done() {
      if (bar) {
        bar.update(value);
        bar.stop();
        bar = undefined;
      } else if (!tty && lastLine > -Infinity) {
        stream.write(`${label}: ${value}/${total} done in ${((now() - t0) / 1000).toFixed(1)} s\n`);
      }
    },
  };
}
