/**
 * A kit's Dockerfile additions through partials. The built-in templates
 * include `kit-base`, `kit-ca-bundle` and `kit-labels` wherever a kit's CA
 * certificates, packages and labels belong (templates/shared/partials/); they
 * render nothing unless the context holds `kit`, the data built here, so the
 * kit's Dockerfile text stays in templates and a kit run keeps the
 * precompiled templates. A kit may replace a part with its own partial of
 * the same name.
 *
 * Each part rendered starts with a marker line that `takeMarkers` removes
 * after rendering: it tells where a part was placed, so that only a
 * Dockerfile whose templates lack the partials (a kit's own templates, an
 * older version's) is completed by the patcher (src/kit/dockerfile.ts).
 */
import { CA_BUNDLE } from './dockerfile.js';
import type { KitRun } from './apply.js';
import { CA_DIR } from './manifest.js';

export const KIT_PARTS = ['kit-base', 'kit-ca-bundle', 'kit-labels'] as const;
export type KitPart = (typeof KIT_PARTS)[number];

const marker = (part: KitPart): string => `# <<create-multistage kit part ${part}>>`;
// With the indentation Handlebars gives an indented partial's lines.
const MARKER_LINE = /[ \t]*# <<create-multistage kit part (kit-[a-z-]+)>>\n/g;

/** The parts this kit adds to a stack's Dockerfile. */
export function neededParts(run: KitRun): Set<KitPart> {
  const { config } = run;
  const ca = config.caCertificates.length > 0;
  const parts = new Set<KitPart>();
  if (ca || config.packages.length > 0) parts.add('kit-base');
  if (ca) parts.add('kit-ca-bundle');
  if (Object.keys(config.labels).length > 0) parts.add('kit-labels');
  return parts;
}

/**
 * A mirror to an Alpine image (a full reference such as golang:1.27-alpine)
 * needs apk instead of apt-get in base: the template's kit-base is Debian's,
 * so the patcher, which reads the base image, writes that part instead.
 */
function mirrorsToAlpine(run: KitRun): boolean {
  return run.config.images.some((rule) => rule.replacementHasTag && /alpine/i.test(rule.replacement));
}

/** The kit's own partials; one that replaces a part gets the part's marker, as the built-in one has. */
export function kitPartials(run: KitRun): Record<string, string> {
  const partials = { ...run.config.partials };
  for (const part of KIT_PARTS) {
    if (Object.hasOwn(partials, part)) partials[part] = `${marker(part)}\n${partials[part]!}`;
  }
  return partials;
}

/** What the parts read: `kit` in the template context (absent without a kit, so they render nothing). */
export function kitTemplateContext(run: KitRun): { kit: Record<string, unknown> } {
  const { kit, config } = run;
  const needed = neededParts(run);
  return {
    kit: {
      name: kit.name,
      base: needed.has('kit-base') && !mirrorsToAlpine(run),
      caBundle: needed.has('kit-ca-bundle'),
      ca: config.caCertificates.length > 0,
      caDir: CA_DIR,
      bundle: CA_BUNDLE,
      packages: config.packages,
      // false, not [], when there are none: the partial's {{#if}} reads it.
      labels: needed.has('kit-labels') && Object.entries(config.labels).map(([key, value]) => ({ key, value })),
      markers: { base: marker('kit-base'), caBundle: marker('kit-ca-bundle'), labels: marker('kit-labels') },
    },
  };
}

/** The text without the marker lines, and the 0-based line (in that text) where each marked part starts. */
export function takeMarkers(text: string): { text: string; placed: { part: string; line: number }[] } {
  const placed: { part: string; line: number }[] = [];
  let removed = 0;
  const out = text.replace(MARKER_LINE, (_line, part: string, offset: number) => {
    placed.push({ part, line: text.slice(0, offset).split('\n').length - 1 - removed });
    removed++;
    return '';
  });
  return { text: out, placed };
}
