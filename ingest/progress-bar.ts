import cliProgress from 'cli-progress';
import type { BuildProgress } from './build-index.ts';

const LABELS: Record<BuildProgress['stage'], string> = {
  load: 'Reading',
  embed: 'Embedding',
  write: 'Writing',
};

/**
 * A progress bar per build stage on stderr; on a non-TTY (CI, pipes) one line per stage instead, so logs stay
 * readable.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: (p: BuildProgress) => void;
  stop: () => void;
} {
  let bar: cliProgress.SingleBar | null = null;
  let stage: BuildProgress['stage'] | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  const onProgress = (p: BuildProgress) => {
    if (p.stage !== stage) {
      stop();
      stage = p.stage;
      if (stream.isTTY) {
        bar = new cliProgress.SingleBar(
          {
            format: `${LABELS[p.stage].padEnd(10)} [{bar}] {value}/{total} {detail}`,
            stream,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, p.done, { detail: '' });
      } else stream.write(`${LABELS[p.stage]}: ${p.total} item(s)\n`);
    }
    bar?.update(p.done, { detail: p.detail ?? '' });
  };
  return { onProgress, stop };
}
