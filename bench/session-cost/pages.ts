import { configurations } from './configurations.ts';
import { measurePage, type LoadSettings, type Measurement } from './load.ts';
import { withShop } from './shop.ts';
import { Visitor } from './visitor.ts';
import { workloads } from './workloads.ts';

export interface PageFigures {
  configuration: string;
  workload: string;
  measurement: Measurement;
}

/** Every configuration, one after the other in a fresh process, under every workload it supports. */
export async function measurePages(settings: LoadSettings): Promise<PageFigures[]> {
  const figures: PageFigures[] = [];
  for (const configuration of configurations) {
    await withShop({ ...configuration.shop, databaseProcess: configuration.databaseProcess }, async (shop, database) => {
      const servers = database ? [shop, database] : [shop];
      const canLogIn = configuration.shop.authMode !== 'request';
      for (const workload of workloads.filter((candidate) => canLogIn || !candidate.needsLogin)) {
        const visitor = new Visitor(shop.url);
        await workload.prepare(visitor);
        const measurement = await measurePage(shop.url, '/products', visitor.cookieHeader || undefined, servers, settings);
        await workload.verify(visitor);
        figures.push({ configuration: configuration.name, workload: workload.name, measurement });
        console.log(
          `  ${configuration.name}, ${workload.name}: ${Math.round(measurement.requestsPerSecond)} req/s, ` +
            `${measurement.cpuMsPerRequest.toFixed(2)} CPU ms/request`,
        );
      }
    });
  }
  return figures;
}
