/**
 * Seconds an ingest spends in each stage, for the summary and the benchmark: `lap(stage)` charges the time
 * since the previous lap to `stage`. Shared by the local build and the PostgreSQL ingest so both report the
 * same stages.
 */
export type BuildTimedStage = 'read' | 'parse' | 'lexical' | 'dictionary' | 'embed' | 'write';

export interface StageTimer {
  readonly stageSeconds: Record<BuildTimedStage, number>;
  lap(stage: BuildTimedStage): void;
}

export function stageTimer(): StageTimer {
  const stageSeconds: Record<BuildTimedStage, number> = {
    read: 0,
    parse: 0,
    lexical: 0,
    dictionary: 0,
    embed: 0,
    write: 0,
  };
  let lapStarted = performance.now();
  return {
    stageSeconds,
    lap(stage) {
      const now = performance.now();
      stageSeconds[stage] += (now - lapStarted) / 1000;
      lapStarted = now;
    },
  };
}
