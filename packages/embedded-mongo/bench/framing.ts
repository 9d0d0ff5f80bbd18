import { MessageFramer } from '../src/wire.ts';

// How long the server spends cutting one big message out of the TCP stream: it must grow
// linearly with the size (the same ms per MB at 16 and 47 MB), never quadratically.

const SIZES_MB = [16, 47];
const CHUNK_BYTES = 64 * 1024; // what a socket typically hands over per 'data' event

function frameOnce(message: Buffer): number {
  const framer = new MessageFramer();
  const started = performance.now();
  let framed = 0;
  for (let at = 0; at < message.length; at += CHUNK_BYTES) framed += framer.push(message.subarray(at, at + CHUNK_BYTES)).length;
  const elapsed = performance.now() - started;
  if (framed !== 1) throw new Error(`expected one message, framed ${framed}`);
  return elapsed;
}

/** One line per size: milliseconds to frame the message (best of 3) and milliseconds per MB. */
export function measureFraming(): string[] {
  return SIZES_MB.map((mb) => {
    const message = Buffer.alloc(mb * 1_000_000);
    message.writeInt32LE(message.length, 0);
    const ms = Math.min(...[1, 2, 3].map(() => frameOnce(message)));
    return `framing a ${mb} MB message in 64 KiB chunks: ${ms.toFixed(1)} ms (${(ms / mb).toFixed(2)} ms/MB)`;
  });
}
