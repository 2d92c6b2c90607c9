import type { Fleet } from './fleet.js';
import { type ProcessMemory, processMemory } from './process-memory.js';
import { type Run, type Target, type Timing, measureTogether } from './measure.js';
import type { RequestBodies } from './request-bodies.js';
import { checkSample } from './sample-check.js';
import {
  CEILING_LABELS,
  type CeilingMode,
  type Load,
  ceilingLoads,
  scenarioSlug,
  serverScenarios,
} from './scenarios.js';
import type { WrkRunner } from './wrk.js';

export interface ScenarioResult {
  readonly name: string;
  readonly ceiling: CeilingMode;
  /** One per connection count, as `CONNECTIONS`. */
  readonly runs: readonly Run[];
  /** The ceiling, measured right after each of `runs`. */
  readonly ceilingRuns: readonly Run[];
  /** Sample answers (fetched before and, for `add`, after the runs) that were not successes. */
  readonly sampleFailures: readonly string[];
  /** The smmkit server's memory once this scenario's runs ended (absent from older reports and variants). */
  readonly serverMemoryAfter?: ProcessMemory;
}

export interface PairedResults {
  readonly scenarios: readonly ScenarioResult[];
  /** `status` on the small database, measured alongside `status` on the big one. */
  readonly smallStatus: readonly Run[];
  /** The HTTP floor: a fixed small JSON, compared with nothing, shown for scale. */
  readonly fixedJson: readonly Run[];
}

const slug = scenarioSlug;

/** A wrong answer makes throughput meaningless: check a sample before measuring anything. */
async function checkBeforehand(server: { url: string }, load: Load, label: string): Promise<void> {
  const sample = await checkSample(`${server.url}/api/v2`, load, label);
  if (sample.failures.length > 0) {
    throw new Error(`${label}: wrong answers to the benchmark's requests:\n${sample.failures.join('\n')}`);
  }
}

/**
 * Each scenario on the smmkit server next to its ceiling, in the order reads first (so they see
 * the seeded database, not one `add` grew), `status` also next to the small database's.
 */
export async function measurePaired(
  fleet: Fleet,
  bodies: RequestBodies,
  smallBodies: RequestBodies,
  runner: WrkRunner,
  timing: Timing & { readonly scenarios: readonly string[] | null },
  progress: (line: string) => void,
): Promise<PairedResults> {
  const chosen = serverScenarios(bodies).filter(
    (scenario) => timing.scenarios === null || timing.scenarios.includes(slug(scenario.name)),
  );
  const ceilingsUsed = new Set<CeilingMode>(chosen.map((scenario) => scenario.ceiling));
  const loads = ceilingLoads(bodies);
  const [smallStatus] = serverScenarios(smallBodies);
  if (!smallStatus) throw new Error('no status scenario');
  const withSmallDatabase = chosen.some((scenario) => scenario.name === 'status');
  if (withSmallDatabase) await checkBeforehand(fleet.smallSmmkit, smallStatus.load, 'small database status');
  for (const [mode, server] of Object.entries(fleet.ceilings)) {
    if (timing.scenarios !== null && !ceilingsUsed.has(mode as CeilingMode)) continue;
    await checkBeforehand(server, loads[mode as CeilingMode], `ceiling ${mode}`);
  }

  const scenarios: ScenarioResult[] = [];
  let smallRuns: Run[] = [];
  for (const scenario of chosen) {
    const label = `server-${slug(scenario.name)}`;
    await checkBeforehand(fleet.smmkit, scenario.load, label);
    for (const variant of fleet.variants) {
      await checkBeforehand(variant.server, scenario.load, `${label}-${slug(variant.label)}`);
    }
    // The server, then its variants, then the ceiling: compared runs go back to back.
    const variantTargets: Target[] = fleet.variants.map((variant) => ({
      name: `${scenario.name}, ${variant.label}`,
      label: `${label}-${slug(variant.label)}`,
      server: variant.server,
      load: scenario.load,
      observed: true,
    }));
    const targets: Target[] = [
      { name: scenario.name, label, server: fleet.smmkit, load: scenario.load, observed: true },
      ...variantTargets,
      {
        name: `  ceiling: ${CEILING_LABELS[scenario.ceiling]}`,
        label: `ceiling-${slug(scenario.name)}`,
        server: fleet.ceilings[scenario.ceiling],
        load: loads[scenario.ceiling],
      },
    ];
    const withSmall = scenario.name === 'status';
    if (withSmall) {
      const name = `  ${scenario.name}, small database`;
      targets.push({
        name,
        label: 'small-status',
        server: fleet.smallSmmkit,
        load: smallStatus.load,
        observed: true,
      });
    }
    const measured = await measureTogether(runner, targets, timing, progress);
    const runs = measured[0] ?? [];
    const ceilingRuns = measured[1 + variantTargets.length] ?? [];
    if (withSmall) smallRuns = measured[2 + variantTargets.length] ?? [];
    // After the load too: an `add` that stopped succeeding midway would show here.
    const after =
      scenario.load.kind === 'add'
        ? await checkSample(`${fleet.smmkit.url}/api/v2`, scenario.load, `${label}-after`)
        : null;
    scenarios.push({
      name: scenario.name,
      ceiling: scenario.ceiling,
      runs,
      ceilingRuns,
      sampleFailures: after?.failures ?? [],
      serverMemoryAfter: processMemory(fleet.smmkit.pid),
    });
    for (const [i, variant] of variantTargets.entries()) {
      scenarios.push({
        name: variant.name,
        ceiling: scenario.ceiling,
        runs: measured[1 + i] ?? [],
        ceilingRuns,
        sampleFailures: [],
      });
    }
  }

  const fixed = {
    name: `ceiling: ${CEILING_LABELS['fixed-json']}`,
    label: 'ceiling-fixed',
    server: fleet.ceilings['fixed-json'],
    load: loads['fixed-json'],
  };
  // Shown for scale only: skipped when only some scenarios are measured.
  const [fixedJson = []] =
    timing.scenarios === null ? await measureTogether(runner, [fixed], timing, progress) : [];
  return { scenarios, smallStatus: smallRuns, fixedJson };
}
