import v8 from 'node:v8';
import vm from 'node:vm';
import { main } from '../../server.ts';

/*
 * The shop, plus a way to read from outside what its heap holds: on SIGUSR2 it collects garbage
 * and prints the heap in use. RSS alone swings by tens of MiB with garbage not yet collected.
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
process.on('SIGUSR2', () => {
  collectGarbage();
  console.log(`heap used after GC: ${process.memoryUsage().heapUsed}`);
});
await main();
