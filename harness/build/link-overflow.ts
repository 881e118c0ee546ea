// Turns GNU ld's region overflow messages into one sentence about what does not fit where.
import type { LinkRegion } from '../boards';

const REGION_WORDS: Record<LinkRegion['name'], string> = { FLASH: 'flash', SRAM: 'SRAM', CCM: 'CCM' };

/** Returns a "does not fit" sentence when the linker output reports an overflow, else undefined. */
export function describeLinkOverflow(linkerOutput: string, regions: LinkRegion[]): string | undefined {
  const overflows = [...linkerOutput.matchAll(/region `(\w+)' overflowed by (\d+) bytes/g)];
  if (overflows.length === 0) return undefined;
  const sections = new Map<string, Set<string>>();
  for (const [, section, region] of linkerOutput.matchAll(/section `([^']+)' will not fit in region `(\w+)'/g)) {
    sections.set(region, (sections.get(region) ?? new Set()).add(section));
  }
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const [, name, byText] of overflows) {
    if (seen.has(name)) continue;
    seen.add(name);
    const region = regions.find((r) => r.name === name);
    const by = Number(byText);
    const culprits = [...(sections.get(name) ?? [])].join(', ');
    if (!region) {
      parts.push(`linker region ${name} overflowed by ${by} bytes`);
      continue;
    }
    parts.push(`needs ${region.size + by} bytes of ${REGION_WORDS[region.name]}, board has ${region.size}` +
      ` (region ${name} overflowed by ${by} bytes${culprits ? `; sections: ${culprits}` : ''})`);
  }
  return `does not fit: ${parts.join('; ')}`;
}
