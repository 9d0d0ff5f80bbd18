import type { Express } from 'express';

export interface Route {
  method: string;
  path: string;
}

/** The parts of router@2's Layer this walk reads. */
interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every route in the app's router stack, mount paths included: a new route is found without a list. */
export function routesOf(app: Express): Route[] {
  return walk((app.router as unknown as { stack: Layer[] }).stack, '');
}

function walk(stack: readonly Layer[], prefix: string): Route[] {
  return stack.flatMap(({ route, handle, rawPath }) => {
    if (route) return Object.keys(route.methods).map((method) => ({ method: method.toUpperCase(), path: `${prefix}${String(route.path)}` }));
    if (handle.stack) return walk(handle.stack, rawPath === '/' ? prefix : `${prefix}${String(rawPath)}`);
    return [];
  });
}
