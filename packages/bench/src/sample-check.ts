import type { Load } from './scenarios.js';

export interface SampleCheck {
  readonly checked: number;
  /** Answers without the success key, with the body that got them. */
  readonly failures: readonly string[];
}

const SAMPLE_SIZE = 3;

/**
 * Sends a few of a load's requests with fetch and reads the answers: throughput of error answers
 * would be a meaningless number, so a benchmark checks what it measures before measuring it.
 */
export async function checkSample(url: string, load: Load, label: string): Promise<SampleCheck> {
  const failures: string[] = [];
  const bodies = sampleBodies(load, label);
  for (const body of bodies) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const text = await response.text();
    if (response.status !== 200 || !text.includes(load.expect)) {
      failures.push(`${body.slice(0, 120)} -> HTTP ${response.status} ${text.slice(0, 200)}`);
    }
  }
  return { checked: bodies.length, failures };
}

function sampleBodies(load: Load, label: string): string[] {
  if (load.kind === 'bodies') {
    const { bodies } = load;
    return [bodies[0], bodies[Math.floor(bodies.length / 2)], bodies[bodies.length - 1]].filter(
      (body): body is string => body !== undefined,
    );
  }
  return load.keys.slice(0, SAMPLE_SIZE).map((key, i) =>
    new URLSearchParams({
      key,
      action: 'add',
      service: String(load.serviceId),
      link: `https://example.com/bench/${label}/sample-${i}`,
      quantity: String(load.quantity),
    }).toString(),
  );
}
