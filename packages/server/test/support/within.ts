/** Waits until `condition` holds, polling every 10 ms; fails after `ms`. Resolves to the milliseconds it took. */
export async function within(ms: number, condition: () => boolean | Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await condition()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
