import { baselineName } from './configurations.ts';
import type { Measurement } from './load.ts';
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

/** How many requests one second of the machine serves: from req/s, or from CPU time per request. */
export const speeds = {
  requests: (measurement: Measurement) => measurement.requestsPerSecond,
  // On a busy machine req/s follows the neighbours; CPU time per request barely does.
  cpu: (measurement: Measurement) => 1 / measurement.cpuMsPerRequest,
} as const;

/** The speed of `configuration` over that of `against` (the baseline's stand-in where it cannot log in). */
export function ratio(
  figures: readonly PageFigures[],
  configuration: string,
  against: string,
  workload: string,
  speed: (measurement: Measurement) => number = speeds.requests,
): number | undefined {
  const speedOf = (name: string, load: string) => {
    const found = figures.find((figure) => figure.configuration === name && figure.workload === load);
    return found && speed(found.measurement);
  };
  const measured = speedOf(configuration, workload);
  const reference = speedOf(against, workload) ?? speedOf(against, baselineStandIn[workload] ?? workload);
  return measured === undefined || reference === undefined ? undefined : measured / reference;
}
