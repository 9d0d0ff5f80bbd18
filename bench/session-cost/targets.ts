import { baselineName } from './configurations.ts';
import type { PageFigures } from './pages.ts';
import { baselineStandIn } from './workloads.ts';

export interface Target {
  configuration: string;
  against: string;
  atLeast: number;
}

/** The speed targets, each checked under every workload. */
export const targets: readonly Target[] = [
  { configuration: 'session + memory', against: baselineName, atLeast: 0.9 },
  { configuration: 'session + MongoDB, db process', against: baselineName, atLeast: 0.6 },
  { configuration: 'session + MongoDB, db process', against: 'session + connect-mongo, db process', atLeast: 1.0 },
];

/** Requests per second of `configuration` over those of `against` (the baseline's stand-in where it cannot log in). */
export function ratio(figures: readonly PageFigures[], configuration: string, against: string, workload: string): number | undefined {
  const rate = (name: string, load: string) =>
    figures.find((figure) => figure.configuration === name && figure.workload === load)?.measurement.requestsPerSecond;
  const measured = rate(configuration, workload);
  const reference = rate(against, workload) ?? rate(against, baselineStandIn[workload] ?? workload);
  return measured === undefined || reference === undefined ? undefined : measured / reference;
}
