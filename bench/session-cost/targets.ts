import { baselineName } from './configurations.ts';
import type { Measurement } from './load.ts';
import type { PageFigures } from './pages.ts';
import { baselineStandIn } from './workloads.ts';

export interface Target {
  configuration: string;
  against: string;
  atLeast: number;
  /** The visitors it is set for; the report shows the others' ratios without a verdict. */
  workloads: readonly string[];
}

const mongodb = 'session + MongoDB, db process';

/** Issue 10's speed targets. */
export const targets: readonly Target[] = [
  { configuration: 'session + memory', against: baselineName, atLeast: 0.9, workloads: ['returning visitor'] },
  { configuration: mongodb, against: baselineName, atLeast: 0.8, workloads: ['returning visitor'] },
  // A login costs the same user lookup in every mode: cookie mode is what a session is compared with.
  { configuration: 'session + memory', against: 'cookie', atLeast: 0.9, workloads: ['logged in'] },
  { configuration: mongodb, against: 'cookie', atLeast: 0.9, workloads: ['logged in'] },
  // Only a logged-in visitor has a session to read: anonymous ones touch no store in either.
  { configuration: mongodb, against: 'session + connect-mongo, db process', atLeast: 1.3, workloads: ['logged in'] },
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
